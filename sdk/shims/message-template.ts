/**
 * The provider object of every `MessageTemplate` resource, as this module's whole exports: Pulumi stores a
 * `require` of this module path in state when the package is installed (see ../provider-shim.ts). The path
 * `whatsapp-flows/dist/sdk/shims/message-template` is part of the state compatibility contract: never move it.
 */
import { makeShim } from "../provider-shim";

export = makeShim("MessageTemplate");
