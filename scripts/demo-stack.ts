import { readFile } from 'node:fs/promises';
import {
  type CloudFormationClient,
  CreateStackCommand,
  DescribeStackResourceCommand,
} from '@aws-sdk/client-cloudformation';

const SELF_SERVICE_POLICY_FILE = new URL('../policies/self-service.json', import.meta.url);
/** The stack of serverless.yml's default stage, the one `serverless invoke local` reads without --stage. */
export const DEMO_STACK = 'key-hygiene-dev';

export interface DemoStack {
  selfServicePolicyArn: string;
  chatTopicArn: string;
}

/**
 * The part of serverless.yml's stack that the functions read from a deployed stack, created in an emulated
 * account under the names the stack gives them, so that `serverless invoke local` finds them as deployed:
 * SelfServicePolicy (onboardUser's SELF_SERVICE_POLICY_ARN, from policies/self-service.json) and ChatTopic
 * (enforceKeys' CHAT_TOPIC_ARN).
 */
export async function createDemoStack(cloudFormation: CloudFormationClient): Promise<DemoStack> {
  const template = {
    Resources: {
      SelfServicePolicy: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          ManagedPolicyName: `${DEMO_STACK}-self-service`,
          PolicyDocument: JSON.parse(await readFile(SELF_SERVICE_POLICY_FILE, 'utf8')),
        },
      },
      ChatTopic: {
        Type: 'AWS::SNS::Topic',
        Properties: { TopicName: `${DEMO_STACK}-notifications`, KmsMasterKeyId: 'alias/aws/sns' },
      },
    },
  };
  await cloudFormation.send(
    new CreateStackCommand({ StackName: DEMO_STACK, TemplateBody: JSON.stringify(template) }),
  );
  return {
    selfServicePolicyArn: await physicalId(cloudFormation, 'SelfServicePolicy'),
    chatTopicArn: await physicalId(cloudFormation, 'ChatTopic'),
  };
}

async function physicalId(cloudFormation: CloudFormationClient, logicalId: string): Promise<string> {
  const { StackResourceDetail: detail } = await cloudFormation.send(
    new DescribeStackResourceCommand({ StackName: DEMO_STACK, LogicalResourceId: logicalId }),
  );
  if (detail?.PhysicalResourceId === undefined) throw new Error(`${DEMO_STACK} holds no ${logicalId}`);
  return detail.PhysicalResourceId;
}
