/** The end-to-end scenarios on meta (see ./scenarios.ts). */
import { vendorScenarios } from "./scenarios";

vendorScenarios("meta");
