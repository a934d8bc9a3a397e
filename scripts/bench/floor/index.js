// The engine's floor for `npm run bench:deploy`: the same resource graph as the benchmark program
// (N components, each a dynamic resource and a second one taking the first's id as input), with a
// provider that does nothing: no vendor, no I/O, a few bytes of state. Stack config: `n`, `variant`
// (an input of every second resource, so changing it updates N resources like a JSON change),
// `categories` (an input of every first resource, like a categories change of every flow).
"use strict";
const pulumi = require("@pulumi/pulumi");

// One provider object shared by every resource (serialized once, as the package's shims are).
const provider = {
  async check(olds, news) {
    return { inputs: news };
  },
  async diff(id, olds, news) {
    return { changes: olds.value !== news.value || olds.parent !== news.parent };
  },
  async create(inputs) {
    return { id: inputs.key, outs: inputs };
  },
  async read(id, props) {
    return { id, props };
  },
  async update(id, olds, news) {
    return { outs: news };
  },
  async delete() {},
};

class Trivial extends pulumi.dynamic.Resource {
  constructor(name, props, opts) {
    super(provider, name, props, opts, "bench", "Trivial");
  }
}

class Pair extends pulumi.ComponentResource {
  constructor(name, variant, categories, opts) {
    super("bench:index:Pair", name, {}, opts);
    const a = new Trivial(name, { key: name, value: categories }, { parent: this });
    const b = new Trivial(`${name}-b`, { key: `${name}-b`, value: variant, parent: a.id }, { parent: this });
    this.registerOutputs({ id: b.id });
  }
}

const config = new pulumi.Config();
const n = config.requireNumber("n");
const variant = config.get("variant") || "v1";
// "a" as before for v1, so existing floor stacks see no change.
const categories = config.get("categories") === "v2" ? "a2" : "a";
for (let i = 0; i < n; i++) new Pair(`bench-${String(i).padStart(4, "0")}`, variant, categories);
