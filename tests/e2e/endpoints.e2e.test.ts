/** Endpoint flows on every vendor that supports them (see ./scenarios.ts); AWS refuses them at preview. */
import { endpointScenarios } from "./scenarios";

describe("meta", () => endpointScenarios("meta"));
describe("360dialog", () => endpointScenarios("360dialog"));
describe("8x8", () => endpointScenarios("8x8"));
