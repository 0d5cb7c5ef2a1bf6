import CRMCore
import Foundation

/// The `--json` shape of deals, their history, the pipeline configuration and the funnel
/// reports, stable for scripts: snake_case keys, ISO 8601 UTC times (`null` when absent),
/// amounts as strings in plain form (`"1000.00"`, never a float), counts as numbers, ratios as
/// numbers 0…1 rounded to 4 decimals (`null` when undefined). Keys come out sorted through
/// `JSONText.text`.
public enum DealJSON {
  static func iso(_ d: Date?) -> Any { JSONText.iso(d) }

  static func optional<T>(_ v: T?) -> Any { v.map { $0 as Any } ?? NSNull() }

  /// A ratio rounded to 4 decimals, or `null`.
  public static func ratio(_ r: Double?) -> Any {
    r.map { ($0 * 10_000).rounded() / 10_000 } ?? NSNull()
  }

  /// Days rounded to 2 decimals, or `null`.
  public static func days(_ d: Double?) -> Any {
    d.map { ($0 * 100).rounded() / 100 } ?? NSNull()
  }

  /// `{"amount": "1000.00", "currency": "RUB"}`.
  public static func money(_ m: Money) -> [String: Any] {
    ["amount": m.plain, "currency": m.currency.code]
  }

  /// One deal as `crm deal list` and `crm report stuck` give it. `stage_name` is in `language`;
  /// `pipeline` is the pipeline's key when the caller knows it.
  public static func object(_ r: DealRow, language: Language, pipeline: String? = nil)
    -> [String: Any]
  {
    let d = r.deal
    return [
      "id": r.id, "version": optional(d.version), "pipeline": optional(pipeline),
      "client": r.clientName,
      "client_id": d.clientId, "person": optional(r.personName),
      "person_id": optional(d.personId), "title": d.title, "stage": r.stage.key,
      "stage_name": r.stage.name(language), "status": d.status.rawValue,
      "amount": d.money.plain, "currency": d.currency, "probability": r.probability,
      "own_probability": d.probability != nil,
      "expected_close": d.expectedClose.isEmpty ? NSNull() : d.expectedClose,
      "source": d.source, "lost_reason": d.lostReason, "owner": r.ownerLogin, "notes": d.notes,
      "days_in_stage": r.daysInStage, "days_over": optional(r.daysOver),
      "stuck": r.daysOver != nil, "stage_since": iso(d.stageAt), "created": iso(d.createdAt),
      "updated": iso(d.updatedAt), "closed": iso(d.closedAt),
    ]
  }

  /// What one entry action did; `contact` is the planned contact when it still exists.
  public static func event(_ e: DealEvent, contact: ContactRow?, text: String) -> [String: Any] {
    [
      "action": e.action, "contact_id": optional(e.contactId), "offer_id": optional(e.offerId),
      "contact_due": iso(contact?.contact.dueAt),
      "contact_kind": optional(contact?.contact.kind.rawValue), "text": text, "at": iso(e.at),
    ]
  }

  /// One entry of the stage history: from → to, when, who, and what its actions did.
  public static func entry(_ h: StageEntry, language: Language, events: [[String: Any]])
    -> [String: Any]
  {
    [
      "id": h.id, "from": optional(h.from?.key), "from_name": optional(h.from?.name(language)),
      "to": h.to.key, "to_name": h.to.name(language), "at": iso(h.at), "left_at": iso(h.leftAt),
      "user": optional(h.userLogin), "events": events,
    ]
  }

  /// The pipelines with their stages in order, and the two choice lists.
  public static func configuration(
    _ pipelines: [Pipeline], leadSources: [Choice], lostReasons: [Choice]
  ) -> [String: Any] {
    func choice(_ c: Choice) -> [String: Any] {
      ["key": c.key, "name": c.name, "name_en": c.nameEn]
    }
    return [
      "pipelines": pipelines.enumerated().map { i, p -> [String: Any] in
        [
          "key": p.key, "name": p.name, "name_en": p.nameEn, "default": i == 0,
          "stages": p.stages.enumerated().map { j, s -> [String: Any] in
            [
              "position": j + 1, "key": s.key, "name": s.name, "name_en": s.nameEn,
              "kind": s.kind.rawValue, "probability": s.probability,
              "stuck_days": optional(s.stuckDays), "actions": s.actions.map(\.text),
            ]
          },
        ]
      },
      "lead_sources": leadSources.map(choice), "lost_reasons": lostReasons.map(choice),
    ]
  }

  /// Results of an owner, a lead source or a month.
  public static func group(_ g: GroupStat) -> [String: Any] {
    [
      "key": g.key, "name": g.name, "created": g.created, "won": g.won, "lost": g.lost,
      "win_rate": ratio(g.winRate), "revenue": g.revenue.map(money),
    ]
  }

  /// One stage of the funnel report.
  public static func stage(_ s: StageStat, language: Language) -> [String: Any] {
    [
      "key": s.stage.key, "name": s.stage.name(language), "reached": s.reached,
      "conversion": ratio(s.conversion), "stays": s.stays, "mean_days": days(s.meanDays),
      "median_days": days(s.medianDays), "open_now": s.openNow,
    ]
  }

  /// The whole funnel report; `owner` is the login the report was filtered by.
  public static func funnel(_ r: FunnelReport, language: Language, owner: String? = nil)
    -> [String: Any]
  {
    [
      "pipeline": r.pipeline.key, "pipeline_name": r.pipeline.name(language),
      "from": iso(r.query.from), "to": iso(r.query.to), "owner": optional(owner),
      "source": optional(r.query.source),
      "stages": r.stages.map { stage($0, language: language) },
      "created": r.total.created, "won": r.total.won, "lost": r.total.lost,
      "win_rate": ratio(r.total.winRate), "overall_conversion": ratio(r.overallConversion),
      "revenue": r.total.revenue.map(money), "by_owner": r.byOwner.map(group),
      "by_source": r.bySource.map(group), "by_month": r.byMonth.map(group),
    ]
  }
}
