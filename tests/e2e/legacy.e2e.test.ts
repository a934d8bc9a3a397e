/** Legacy flows on the vendors that edit published flows in place (see ./scenarios.ts). */
import { legacyScenarios } from "./scenarios";

describe("meta", () => legacyScenarios("meta"));
