// chat: the ChatPoster port and its adapters (SNS for AWS Chatbot and pagers, disabled), the Chatbot
// custom-notification format within its limits, and markdown that defuses account text. It knows nothing
// of keys or policies.

export type { ChatbotNotification } from './chatbot-payload.ts';
export {
  CHATBOT_LIMITS,
  chatbotNotification,
  chatbotPayload,
  SNS_MAX_MESSAGE_BYTES,
} from './chatbot-payload.ts';
export { type ChatConfig, loadChatConfig, topicRegion } from './config.ts';
export { ChatMarkdown, defuseText, inlineCode, joinMarkdown, md, trustedMarkdown } from './markdown.ts';
export { postChatMessages } from './post-chat-messages.ts';
export { CHAT_SNS_ACTIONS, chatPosterFor, disabledChat, snsChat } from './sns-chat.ts';
export type { ChatMessage, ChatPoster, ChatPostResult, ChatReport } from './types.ts';
