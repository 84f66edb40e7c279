// Validates the Kubernetes manifests against the API schemas shipped in the
// kubernetes-models npm package (offline; no cluster needed).
// Usage: node validate-manifests.mjs FILE.yaml...
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { ConfigMap, Secret, Service } from "kubernetes-models/v1";
import { Deployment } from "kubernetes-models/apps/v1";

const kinds = { ConfigMap, Secret, Service, Deployment };
let failed = 0;
let checked = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length) {
      console.error(`${file}: YAML error: ${doc.errors[0].message}`);
      failed++;
      continue;
    }
    const object = doc.toJS();
    if (!object) continue;
    const Model = kinds[object.kind];
    if (!Model) {
      console.error(`${file}: no schema for kind ${object.kind}`);
      failed++;
      continue;
    }
    try {
      new Model(object).validate();
      checked++;
      console.log(`ok ${file}: ${object.kind}/${object.metadata.name}`);
    } catch (e) {
      failed++;
      console.error(`${file}: ${object.kind}/${object.metadata?.name}: ${e.message}`);
    }
  }
}
console.log(`${checked} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
