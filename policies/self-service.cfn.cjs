// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders, not JavaScript.
// Serves policies/self-service.json to serverless.yml as CloudFormation. The JSON stays the plain IAM
// document (the tests load it into the emulator), but two of its spellings need translating for a stack:
// `${aws:username}` reads to osls as one of its own variables, so it becomes Fn::Sub's literal `${!...}`;
// and `arn:aws:` becomes the stack's own partition (aws-cn, aws-us-gov).
const document = require('./self-service.json');

function forCloudFormation(value) {
  if (typeof value === 'string') {
    if (!value.includes('${') && !value.startsWith('arn:aws:')) return value;
    return { 'Fn::Sub': value.replaceAll('${', '${!').replace(/^arn:aws:/, 'arn:${AWS::Partition}:') };
  }
  if (Array.isArray(value)) return value.map(forCloudFormation);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, forCloudFormation(item)]));
  }
  return value;
}

module.exports = () => forCloudFormation(document);
module.exports.forCloudFormation = forCloudFormation;
