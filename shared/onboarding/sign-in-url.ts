/** The parts of an ARN the onboarding needs: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export interface ArnParts {
  partition: string;
  accountId: string;
}

/**
 * The partition and account of an ARN.
 * @throws {RangeError} when the text is not an ARN.
 */
export function parseArn(arn: string): ArnParts {
  const match = /^arn:(aws[a-z-]*):[a-z0-9-]+:[a-z0-9-]*:(\d{12}|aws)?:.+$/.exec(arn);
  if (match === null) throw new RangeError(`Not an ARN: ${JSON.stringify(arn)}`);
  return { partition: match[1] as string, accountId: match[2] ?? '' };
}

// Each partition signs its users in on its own domain. Partitions without a public console (aws-iso*) get
// the commercial domain: this service does not claim to support them.
const SIGN_IN_DOMAINS: Record<string, string> = {
  aws: 'signin.aws.amazon.com',
  'aws-cn': 'signin.amazonaws.cn',
  'aws-us-gov': 'signin.amazonaws-us-gov.com',
};

/**
 * The console sign-in page of an account for its IAM users: `https://<alias or id>.<domain>/console`.
 * The account alias, when there is one, reads better than the id; both keep working.
 */
export function signInUrl(userArn: string, accountAlias: string | undefined): string {
  const { partition, accountId } = parseArn(userArn);
  const domain = SIGN_IN_DOMAINS[partition] ?? SIGN_IN_DOMAINS.aws;
  return `https://${accountAlias ?? accountId}.${domain}/console`;
}

/** The ARN of an AWS managed policy in the given partition, e.g. IAMUserChangePassword. */
export function awsManagedPolicyArn(partition: string, policyName: string): string {
  return `arn:${partition}:iam::aws:policy/${policyName}`;
}
