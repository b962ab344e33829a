import type { Operation } from './api';
import type {
  DashboardStudiesQuery, DashboardStudiesQueryVariables, DashboardStudyCurveQuery, DashboardStudyCurveQueryVariables,
  DashboardStudyEventsSubscription, DashboardStudyEventsSubscriptionVariables, DashboardStudyMinimalSizeQuery,
  DashboardStudyMinimalSizeQueryVariables, DashboardStudyQuery, DashboardStudyQueryVariables,
} from './generated/graphql';

/** The study pages' documents (typed by `npm run codegen:dashboard`, like queries.ts). */

export const STUDIES_QUERY: Operation<DashboardStudiesQuery, DashboardStudiesQueryVariables> = /* GraphQL */ `query DashboardStudies {
  studies { id name kind status trainer seeds createdAt estimatedCostUsd dataset { id name } arms { name } }
}`;

export type StudySummary = DashboardStudiesQuery['studies'][number];

export const STUDY_QUERY: Operation<DashboardStudyQuery, DashboardStudyQueryVariables> = /* GraphQL */ `query DashboardStudy($id: ID!) {
  study(id: $id) {
    id name kind status trainer seeds tags createdAt estimatedCostUsd
    dataset { id name labels }
    arms { name x evaluatesBaseline dataset { id name } runs { id name status error finishedAt evaluation { macroF1 } } }
    curve(metric: MACRO_F1) { arm x trainImages runs mean std low high }
  }
}`;

export type StudyDetail = NonNullable<DashboardStudyQuery['study']>;
export type StudyArmRow = StudyDetail['arms'][number];
export type CurvePointRow = StudyDetail['curve'][number];

/** One metric's curve: per-label F1 on demand, and the robustness table's cells. */
export const STUDY_CURVE_QUERY: Operation<DashboardStudyCurveQuery, DashboardStudyCurveQueryVariables> = /* GraphQL */ `query DashboardStudyCurve($id: ID!, $metric: StudyMetric!, $label: String) {
  study(id: $id) { curve(metric: $metric, label: $label) { arm x trainImages runs mean std low high } }
}`;

export const STUDY_MINIMAL_SIZE_QUERY: Operation<DashboardStudyMinimalSizeQuery, DashboardStudyMinimalSizeQueryVariables> = /* GraphQL */ `query DashboardStudyMinimalSize($id: ID!, $target: Float!) {
  study(id: $id) { minimalTrainingSize(target: $target, metric: MACRO_F1) }
}`;

export const STUDY_EVENTS: Operation<DashboardStudyEventsSubscription, DashboardStudyEventsSubscriptionVariables> = /* GraphQL */ `subscription DashboardStudyEvents($id: ID!) {
  studyEvents(studyId: $id) { studyId status run { runId status error } }
}`;
