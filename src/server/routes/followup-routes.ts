import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { FollowUpService } from '../../incidents/followups/follow-up-service.ts';
import { toJsonSchema } from '../json-schema.ts';
import { parseInput } from '../parse-input.ts';
import { principalOf } from '../plugins/auth.ts';
import { problemResponses } from '../schemas/problem.ts';

const listQuery = z.object({
  overdue: z.enum(['true', 'false']).optional().describe('true: only follow-ups past due with no merged change'),
  team: z.string().min(1).optional(),
  incident: z.string().min(1).optional(),
});

const addRequest = z.object({
  incident: z.string().min(1).describe('the declared incident it follows up'),
  title: z.string().min(1),
  owner: z.string().min(1),
  due: z.iso.date('must be a date YYYY-MM-DD such as 2026-12-10'),
});

const linkRequest = z.object({ change: z.string().min(1).describe('a ledger sequence number, or #PR, a pull request URL, a commit sha, a plan digest or a deploy id') });
const closeRequest = z.object({ reason: z.string().optional() });
const idParams = z.object({ id: z.string().min(1) });

const linkedChange = z.object({
  via: z.enum(['mention', 'manual']),
  seq: z.number().int().optional(),
  type: z.string().optional(),
  ref: z.string().optional(),
  time: z.string().optional(),
  merged: z.boolean(),
});

const followUp = z.looseObject({
  id: z.string(),
  incidentId: z.string(),
  title: z.string(),
  owner: z.string().optional(),
  due: z.string().optional(),
  team: z.string().optional(),
  origin: z.enum(['followup', 'postmortem']),
  status: z.enum(['open', 'done', 'overdue']),
  closedWithoutChange: z.boolean(),
  changes: z.array(linkedChange),
});

const written = z.object({ seq: z.number().int().describe('the ledger sequence number of the recorded event'), followUp });

/** Incident follow-ups: GET lists them with their status; writes are ledger events with the token as actor. */
export function followUpRoutes(app: FastifyInstance, followUps: FollowUpService): void {
  app.get(
    '/api/v1/followups',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Incident follow-ups with their status (open, done, overdue) and the changes linked to them',
        tags: ['incidents'],
        querystring: toJsonSchema(listQuery, 'input'),
        response: { 200: toJsonSchema(z.object({ followUps: z.array(followUp) }), 'output'), ...problemResponses },
      },
    },
    async (request) => {
      const query = parseInput(listQuery, request.query, 'query');
      const list = await followUps.list({
        ...(query.overdue === 'true' ? { overdue: true } : {}),
        ...(query.team ? { team: query.team } : {}),
        ...(query.incident ? { incident: query.incident } : {}),
      });
      return { followUps: list };
    },
  );

  app.post(
    '/api/v1/followups',
    {
      config: { role: 'operator' },
      schema: {
        summary: 'Record a follow-up of a declared incident; it gets the next id SO-FU-<n>',
        tags: ['incidents'],
        body: toJsonSchema(addRequest, 'input'),
        response: { 201: toJsonSchema(written, 'output'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const body = parseInput(addRequest, request.body, 'body');
      const result = await followUps.add({ incidentId: body.incident, title: body.title, owner: body.owner, due: body.due }, principalOf(request).actor);
      return reply.code(201).send(result);
    },
  );

  app.post(
    '/api/v1/followups/:id/link',
    {
      config: { role: 'operator' },
      schema: {
        summary: 'Link a follow-up to the change that carries it out',
        tags: ['incidents'],
        params: toJsonSchema(idParams, 'input'),
        body: toJsonSchema(linkRequest, 'input'),
        response: { 200: toJsonSchema(written, 'output'), ...problemResponses },
      },
    },
    async (request) => {
      const { id } = parseInput(idParams, request.params, 'params');
      const body = parseInput(linkRequest, request.body, 'body');
      return followUps.link(id, body.change, principalOf(request).actor);
    },
  );

  app.post(
    '/api/v1/followups/:id/close',
    {
      config: { role: 'operator' },
      schema: {
        summary: 'Close a follow-up; closed without a linked merged change, the audit flags it',
        tags: ['incidents'],
        params: toJsonSchema(idParams, 'input'),
        body: toJsonSchema(closeRequest, 'input'),
        response: { 200: toJsonSchema(written, 'output'), ...problemResponses },
      },
    },
    async (request) => {
      const { id } = parseInput(idParams, request.params, 'params');
      const body = parseInput(closeRequest, request.body ?? {}, 'body');
      return followUps.close(id, body.reason, principalOf(request).actor);
    },
  );
}
