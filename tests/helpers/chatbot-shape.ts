import { z } from 'zod';

// The AWS Chatbot custom notification as its documentation gives it
// (https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html): version 1.0, source custom,
// client-markdown content within the limits, string metadata. Tests hold what we publish to it.
const text = (max: number) => z.string().max(max);

export const chatbotNotificationShape = z
  .object({
    version: z.literal('1.0'),
    source: z.literal('custom'),
    id: z.string().optional(),
    content: z
      .object({
        textType: z.literal('client-markdown'),
        title: text(250),
        description: text(8000),
        nextSteps: z.array(text(350)).optional(),
        keywords: z.array(text(75)).optional(),
      })
      .strict(),
    metadata: z
      .object({
        threadId: z.string().optional(),
        summary: z.string().optional(),
        eventType: z.string().optional(),
        relatedResources: z.array(z.string()).optional(),
        additionalContext: z.record(z.string(), z.string()).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ChatbotNotificationShape = z.infer<typeof chatbotNotificationShape>;
