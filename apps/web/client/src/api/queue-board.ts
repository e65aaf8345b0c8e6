import { request } from './api.js';

export interface QueueBoardTicket {
  /** The board's address; the ticket travels in a cookie only the board's path receives. */
  url: string;
  expiresInSeconds: number;
}

/** Lets this browser open the queue board (committee administrators only). */
export function openQueueBoardTicket(): Promise<QueueBoardTicket> {
  return request('POST', '/api/admin/queue-board/ticket');
}
