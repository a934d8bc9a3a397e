/** The end-to-end scenarios on aws (see ./scenarios.ts). */
import { vendorScenarios } from "./scenarios";

vendorScenarios("aws");
