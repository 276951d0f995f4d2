// user-tags: a user's IAM tags, read and written for every capability that keeps records or reads
// exemptions there. It imports only the kernel.
export { type UserTags, userTags } from './user-tags.ts';
