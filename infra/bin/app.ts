// The CDK app of `npx cdk synth|deploy`. Settings come from context (`-c key=value` or cdk.json);
// the stacks stay environment-agnostic, so synth needs neither credentials nor lookups.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { BridgeModeDemoStack, Sigv4SidecarOperatorStack } from '../lib/index';
import { readAppContext } from './context';

const app = new App();
const context = readAppContext((key) => app.node.tryGetContext(key));

new Sigv4SidecarOperatorStack(app, 'Sigv4SidecarOperator', context.operator);
new BridgeModeDemoStack(app, 'BridgeModeDemo', context.demo);

// Synth fails on any cdk-nag finding that is not acknowledged with a reason in code.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
