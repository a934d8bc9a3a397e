/** The end-to-end scenarios on 360dialog (see ./scenarios.ts). */
import { vendorScenarios } from "./scenarios";

vendorScenarios("360dialog");
