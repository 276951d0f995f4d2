// A small IAM policy evaluator for reading our policy documents as behaviour: which requests a statement
// list allows, denies or leaves unallowed. It knows what our documents use: Action/NotAction and Resource
// with `*`/`?` wildcards and `${aws:username}`, and the condition operators Bool, Null, String(Not)Equals,
// String(Not)EqualsIgnoreCase, String(Not)Like and Arn(Not)Equals/Like, with IfExists and
// ForAnyValue/ForAllValues. It is no substitute for AWS's evaluation (no policy types, no sessions): it
// answers what one document says.

/** One request as IAM sees it. Context keys as AWS spells them; a multi-valued key is a list. */
export interface PolicyRequest {
  action: string;
  resource: string;
  context?: Record<string, string | string[] | undefined>;
}

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** `denied`: an explicit Deny matched; `allowed`: an Allow matched and no Deny; `not allowed`: neither. */
export type Decision = 'allowed' | 'denied' | 'not allowed';

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : ([value].flat() as T[]));

function wildcard(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, caseInsensitive ? 'i' : '').test(value);
}

/** `${aws:username}` and any other policy variable, filled in from the request context. */
function substitute(text: string, request: PolicyRequest): string {
  return text.replace(/\$\{([^}]+)\}/g, (whole, key: string) => {
    const value = request.context?.[key];
    return typeof value === 'string' ? value : whole;
  });
}

function matchesAction(statement: Statement, action: string): boolean {
  const matches = (patterns: string[]) => patterns.some((pattern) => wildcard(pattern, action, true));
  if (statement.NotAction !== undefined) return !matches(list(statement.NotAction));
  return matches(list(statement.Action));
}

function matchesResource(statement: Statement, request: PolicyRequest): boolean {
  const matches = (patterns: unknown) =>
    list(patterns as string | string[]).some((pattern) =>
      wildcard(substitute(pattern, request), request.resource, false),
    );
  if (statement.NotResource !== undefined) return !matches(statement.NotResource);
  return matches(statement.Resource);
}

type Compare = (policyValue: string, value: string) => boolean;
const COMPARE: Record<string, Compare> = {
  StringEquals: (policy, value) => policy === value,
  StringEqualsIgnoreCase: (policy, value) => policy.toLowerCase() === value.toLowerCase(),
  StringLike: (policy, value) => wildcard(policy, value, false),
  ArnLike: (policy, value) => wildcard(policy, value, false),
  ArnEquals: (policy, value) => policy === value,
  Bool: (policy, value) => policy.toLowerCase() === value.toLowerCase(),
};

function conditionHolds(
  operator: string,
  key: string,
  policyValues: string[],
  request: PolicyRequest,
): boolean {
  const found = Object.entries(request.context ?? {}).find(
    ([name]) => name.toLowerCase() === key.toLowerCase(),
  );
  const values = list(found?.[1]);
  if (operator === 'Null') return (values.length === 0) === (policyValues[0] === 'true');
  const [, set, name = '', ifExists] =
    /^(?:(ForAnyValue|ForAllValues):)?(.*?)(IfExists)?$/.exec(operator) ?? [];
  const negated = /Not(Equals|Like)/.test(name);
  const compare = COMPARE[name.replace(/Not(?=Equals|Like)/, '')];
  if (compare === undefined) throw new Error(`the evaluator does not know the operator ${operator}`);
  const substituted = policyValues.map((value) => substitute(value, request));
  const matches = (value: string) => substituted.some((policy) => compare(policy, value));
  if (set === 'ForAllValues') return values.every((value) => matches(value) !== negated);
  if (set === 'ForAnyValue') return values.some((value) => matches(value) !== negated);
  if (values.length === 0) return ifExists !== undefined || negated;
  return values.some(matches) !== negated;
}

function matchesConditions(statement: Statement, request: PolicyRequest): boolean {
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) => conditionHolds(operator, key, list(values), request)),
  );
}

/** What a list of statements decides for one request. */
export function evaluate(statements: Statement[], request: PolicyRequest): Decision {
  const matching = statements.filter(
    (statement) =>
      matchesAction(statement, request.action) &&
      matchesResource(statement, request) &&
      matchesConditions(statement, request),
  );
  if (matching.some((statement) => statement.Effect === 'Deny')) return 'denied';
  return matching.some((statement) => statement.Effect === 'Allow') ? 'allowed' : 'not allowed';
}
