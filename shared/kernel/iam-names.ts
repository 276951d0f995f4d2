// IAM's name grammars, in one place: the credential report, the settings and the onboarding request read
// names against these. Sources: the IAM API reference (CreateUser, CreateGroup, TagUser, CreatePolicy).

/** A user name: letters, digits and `+ = , . @ _ -`, 1 to 64 characters. */
export const IAM_USER_NAME = /^[\w+=,.@-]{1,64}$/;
/** A group name: letters, digits and `+ = , . @ _ -`, 1 to 128 characters. */
export const IAM_GROUP_NAME = /^[\w+=,.@-]{1,128}$/;
/** The characters a user or group name may hold, to say so in an error message. */
export const IAM_NAME_CHARACTERS = 'letters, digits and + = , . @ _ -';
/** The characters a tag key or value may hold, to say so in an error message. */
export const IAM_TAG_CHARACTERS = 'letters, digits, spaces and _ . : / = + - @';
/** A tag key or value's characters (Unicode letters, digits, spaces and `_ . : / = + - @`); length apart. */
export const IAM_TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
/** A tag value may also be empty. */
export const IAM_TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/** A path: `/` alone, or `/` + printable ASCII + `/`, at most 512 characters. */
export const IAM_PATH = /^\/([\x21-\x7E]*\/)?$/;
/** A managed policy ARN: arn:<partition>:iam::<account id or `aws`>:policy/<path><name>. */
export const IAM_POLICY_ARN = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/([\x21-\x7E]+\/)?[\w+=,.@-]{1,128}$/;
/** A user's ARN, or the account root's, as the credential report gives it. */
export const IAM_USER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(root|user\/([\x21-\x7E]*\/)?[\w+=,.@-]{1,64})$/;

/** The prefix of every tag this service writes or reads as its own (records, exemption, onboarding). */
export const SERVICE_TAG_PREFIX = 'key-hygiene:';
/** The tag whose value `true` or an ISO date exempts a user's keys, unless EXEMPT_TAG names another. */
export const DEFAULT_EXEMPT_TAG = `${SERVICE_TAG_PREFIX}exempt`;
/** The bus audit events go to unless EVENT_BUS_NAME names another. */
export const DEFAULT_EVENT_BUS_NAME = 'default';
