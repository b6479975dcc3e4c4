import type { Campaign } from './model.ts';
import type { SenderBook } from './ports.ts';
import { runSendersOf, type Sender } from './sender.ts';
import type { RunSender } from '@ektola/platform/events';

/**
 * The senders a campaign sends from: those it names, else the default sender. None at all (no senders
 * registered, no WHATSAPP_PHONE_NUMBER_ID) leaves the choice to the dispatcher's own default number.
 */
async function sendersOf(book: Pick<SenderBook, 'ofIds' | 'findDefault'>, campaign: Campaign): Promise<Sender[]> {
  const named = campaign.senders.length > 0 ? await book.ofIds(campaign.senders) : [];
  if (named.length > 0) return named;
  const fallback = await book.findDefault();
  return fallback ? [fallback] : [];
}

/** The numbers a campaign's messages spread over, weighted by rate; undefined: the dispatcher's default number. */
export async function campaignRunSenders(
  book: Pick<SenderBook, 'ofIds' | 'findDefault'>,
  campaign: Campaign,
  flaggedFactor: number,
): Promise<RunSender[] | undefined> {
  const senders = await sendersOf(book, campaign);
  return senders.length > 0 ? runSendersOf(senders, flaggedFactor) : undefined;
}
