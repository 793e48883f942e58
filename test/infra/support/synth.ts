// Builds apps the way `cdk synth` does (cdk.json's feature flags) without the real operator
// bundle or Docker: a stand-in bundle and Dockerfile directories in a temp dir.
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CDK_JSON = JSON.parse(readFileSync(new URL('../../../cdk.json', import.meta.url), 'utf8')) as {
  app: string;
  context: Record<string, unknown>;
};

/** A temp dir with a stand-in operator bundle, an empty one, and Dockerfile directories. */
export function fakeAssets(): { bundleDir: string; emptyDir: string; imageDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'sigv4-sidecar-infra-'));
  const bundleDir = join(root, 'operator');
  const emptyDir = join(root, 'empty');
  const imageDir = join(root, 'image');
  for (const dir of [bundleDir, emptyDir, imageDir]) mkdirSync(dir);
  writeFileSync(join(bundleDir, 'index.js'), 'exports.handler = async () => undefined;\n');
  writeFileSync(join(imageDir, 'Dockerfile'), 'FROM scratch\n');
  return { bundleDir, emptyDir, imageDir };
}

export function newApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { ...CDK_JSON.context, ...context } });
}

export function templateOf(stack: Stack): Template {
  return Template.fromStack(stack);
}

/** cdk-nag findings (AwsSolutions and Serverless packs) that are not acknowledged. */
export function unacknowledgedFindings(app: App, stack: Stack): string[] {
  return [new AwsSolutionsChecks(app), new ServerlessChecks(app)].flatMap((pack) =>
    pack
      .validateScope(stack)
      .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`)),
  );
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Replaces the intrinsics of a synthesized value by concrete values: `Fn::GetAtt` by
 * `attributes["Logical.Attr"]`, `Ref` by `refs[name]`, `Fn::Join` joined. Anything unknown throws.
 */
export function resolveIntrinsics(value: Json, values: { attributes?: Record<string, string>; refs?: Record<string, string> }): Json {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, values));
  if (value === null || typeof value !== 'object') return value;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt)) {
    const key = getAtt.join('.');
    const resolved = values.attributes?.[key];
    if (resolved === undefined) throw new Error(`no value for Fn::GetAtt ${key}`);
    return resolved;
  }
  const ref = value.Ref;
  if (typeof ref === 'string') {
    const resolved = values.refs?.[ref];
    if (resolved === undefined) throw new Error(`no value for Ref ${ref}`);
    return resolved;
  }
  const join = value['Fn::Join'];
  if (Array.isArray(join)) {
    const [delimiter, parts] = join as [string, Json[]];
    return parts.map((part) => resolveIntrinsics(part, values)).join(delimiter);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveIntrinsics(v, values)]));
}
