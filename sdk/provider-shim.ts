/**
 * The dynamic provider object Pulumi serializes into state (`__provider`). It is deliberately tiny and
 * holds no logic: each method `require`s the package's stable runtime entry in the provider process.
 *
 * Why: Pulumi serializes captured code by value, and stores the text in state. Shipping all provider
 * logic that way would freeze a copy of it in every stack (an upgrade would not fix `destroy` of old
 * resources) and risk capturing SDK clients that cannot be serialized. `require` is never captured and
 * resolves from the program's directory at run time, where the package is installed.
 */
import type * as pulumi from "@pulumi/pulumi";

/** Kept in sync with provider/runtime.ts; part of the state compatibility contract. */
export const RUNTIME_MODULE = "whatsapp-flows/dist/provider/runtime";

/** The resource kinds, each with its shim module under ./shims (part of the state compatibility contract). */
export type ShimKind = "Flow" | "FlowAssets" | "MessageTemplate";

/**
 * One provider object per kind, shared by every resource of that kind: @pulumi/pulumi serializes a
 * provider once per object, so a new object per resource would serialize (and store) it again each time.
 *
 * Each object is the whole `module.exports` of its own module (./shims/flow, ./shims/flow-assets). When the
 * package is installed under node_modules, Pulumi's closure serializer recognises a module's exports and
 * stores `require("whatsapp-flows/dist/sdk/shims/flow")` (about 250 bytes) instead of the shim's code
 * (about 2.5 KB), in the inputs and again in the outputs of every resource. Outside node_modules (a linked
 * checkout) it serializes the code by value, which works the same. Those module paths are part of the
 * state compatibility contract, like RUNTIME_MODULE.
 */
export function providerShim(kind: ShimKind): pulumi.dynamic.ResourceProvider {
  switch (kind) {
    case "Flow":
      return require("./shims/flow");
    case "FlowAssets":
      return require("./shims/flow-assets");
    default:
      return require("./shims/message-template");
  }
}

/** The shim object of one kind (the shim modules' exports). */
export function makeShim(kind: ShimKind): pulumi.dynamic.ResourceProvider {
  const runtimeModule = RUNTIME_MODULE;
  // The hooks' argument types are Pulumi's own (ResourceProvider); provider/hooks checks them.
  return {
    async configure(req: pulumi.dynamic.ConfigureRequest) {
      require(runtimeModule).configure(req.config);
    },
    async check(olds, news) {
      return require(runtimeModule).hooks(kind).check(olds, news);
    },
    async diff(id, olds, news) {
      return require(runtimeModule).hooks(kind).diff(id, olds, news);
    },
    async create(inputs) {
      return require(runtimeModule).hooks(kind).create(inputs);
    },
    async read(id, props) {
      return require(runtimeModule).hooks(kind).read(id, props);
    },
    async update(id, olds, news) {
      return require(runtimeModule).hooks(kind).update(id, olds, news);
    },
    async delete(id, props) {
      return require(runtimeModule).hooks(kind).delete(id, props);
    },
  };
}
