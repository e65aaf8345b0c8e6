import { Injectable } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { JOBS, type TranscodeJob } from '#contracts';
import { TranscodeService, type TranscodeResult } from './transcode.service.js';

/** The one handler of the transcode queue: checks what the job is, hands it to the service. */
@Injectable()
export class TranscodeProcessor {
  constructor(private readonly transcoder: TranscodeService) {}

  async process(job: Job<TranscodeJob>, signal?: AbortSignal): Promise<TranscodeResult> {
    if (job.name !== JOBS.transcode) throw new UnrecoverableError(`The transcode queue has no job called "${job.name}"`);
    return this.transcoder.transcode(job, signal);
  }
}
