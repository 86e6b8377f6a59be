import type { AppOptions } from '../app-types';
import { buildApi } from './api-stage';
import { buildDocuments } from './documents-stage';
import { buildIntake } from './intake-stage';
import { buildJobs } from './jobs-stage';
import { laterParts } from './later-parts';
import { buildOutboxAndChannels } from './outbox-stage';
import { buildScheduling } from './scheduling-stage';
import { buildSources } from './sources-stage';
import { buildStoreAndSettings } from './store-stage';

/**
 * Builds every module from the settings and connects them along the message path, one stage at a time, each from the
 * stages before it. Where the path loops back (a reply → the planner, a storage fault → the dispatcher), a stage
 * reads the later part through `later`, filled in at the end. Nothing starts here.
 */
export function composeCore(options: AppOptions) {
  const later = laterParts();
  const store = buildStoreAndSettings(options);
  const messaging = buildOutboxAndChannels(options, store, later.get);
  const scheduling = buildScheduling(store, messaging.outbox);
  const documents = buildDocuments(options, store, messaging.outbox);
  const { resultsIntake } = buildIntake(store, documents, scheduling.planner, later.get);
  const sources = buildSources(options, store, resultsIntake, scheduling.planner, later.get);
  const { ops, anchor } = buildJobs(options, store, { ...scheduling, ...documents, ...messaging }, later.get);
  const { ctx, announceStatus } = buildApi(options, store, { messaging, scheduling, documents, resultsIntake, sources, ops });
  later.fill({ planner: scheduling.planner, clinicDb: sources.clinicDb, ops, announceStatus });

  return {
    db: store.db,
    settings: store.settings,
    access: store.access,
    bus: store.bus,
    now: store.now,
    language: store.language,
    outbox: messaging.outbox,
    planner: scheduling.planner,
    campaigns: scheduling.campaigns,
    channels: messaging.channels,
    dispatcher: messaging.dispatcher,
    resultsIntake,
    clinicDb: sources.clinicDb,
    ctx,
    announceStatus,
    reconcile: messaging.reconcile,
    anchor,
    restartSources: sources.restartSources,
    closeSources: sources.closeSources,
    ops,
  };
}

export type ComposedCore = ReturnType<typeof composeCore>;
