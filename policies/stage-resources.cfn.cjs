// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders, not JavaScript.
// Resources of the policies in this directory that depend on stage parameters, computed when osls packages
// (CloudFormation alone cannot turn a comma-separated list into ARNs). Referenced from the JSON as
// `${file(policies/stage-resources.cfn.cjs):<export>}`; osls calls the export with its resolver.

const stageParams = require('../deploy/stage-params.cfn.cjs');

const partitionAccount = 'arn:${AWS::Partition}:iam::${AWS::AccountId}';

// The tags onboardUser sets on every new user besides the request's: shared/onboarding/user-setup.ts
// (serviceTagKeys) names the same; tests/unit/deployment/policy-documents.test.ts holds them equal.
const ONBOARDED_TAGS = ['key-hygiene:onboarded', 'key-hygiene:onboarded-by'];

/** The groups onboardUser may check, add users to and remove them from on rollback: allowedGroups alone. */
async function allowedGroupArns(osls) {
  const names = await stageParams.allowedGroups(osls);
  // A group ARN holds the group's path: match the name at the root and under any path.
  return names.flatMap((name) => [
    { 'Fn::Sub': `${partitionAccount}:group/${name}` },
    { 'Fn::Sub': `${partitionAccount}:group/*/${name}` },
  ]);
}

/** The SES identities mail is sent from: the sender address and its domain (either may be the verified one). */
async function senderIdentityArns({ resolveVariable }) {
  const sender = String(await resolveVariable('param:senderEmail')).trim();
  const identity = 'arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity';
  // No sender: mail is off. An identity is an address or a domain, so a name with neither @ nor a dot can
  // never be one: the statement grants nothing (CloudFormation cannot drop it on a constant condition).
  if (sender === '') return [{ 'Fn::Sub': `${identity}/no-sender-configured` }];
  const domain = sender.slice(sender.lastIndexOf('@') + 1);
  return [{ 'Fn::Sub': `${identity}/${sender}` }, { 'Fn::Sub': `${identity}/${domain}` }];
}

/** The users onboardUser creates and may act on: those under userPath, which no other user is under. */
async function onboardedUserArns(osls) {
  return { 'Fn::Sub': `${partitionAccount}:user${await stageParams.userPath(osls)}*` };
}

/** The tag keys onboardUser may set: the email tag, its own two, and allowedTagKeys. */
async function onboardingTagKeys(osls) {
  const emailTag = String(await osls.resolveVariable('param:emailTag')).trim();
  return [emailTag, ...ONBOARDED_TAGS, ...(await stageParams.allowedTagKeys(osls))];
}

module.exports = {
  allowedGroupArns,
  senderIdentityArns,
  onboardedUserArns,
  onboardingTagKeys,
  ONBOARDED_TAGS,
};
