/** The end-to-end scenarios on 8x8 (see ./scenarios.ts). */
import { vendorScenarios } from "./scenarios";

vendorScenarios("8x8");
