import CRMCore
import Foundation

/// The `--json` shape of contacts, reminders and the other contact listings, stable for scripts:
/// snake_case keys, ISO 8601 UTC times (`null` when absent), keys sorted by `JSONText.text`.
public enum ContactJSON {
  static func iso(_ d: Date?) -> Any { JSONText.iso(d) }

  static func optional<T>(_ v: T?) -> Any { v.map { $0 as Any } ?? NSNull() }

  /// One contact with its client's name and the responsible user's login.
  public static func object(_ r: ContactRow) -> [String: Any] {
    let c = r.contact
    return [
      "id": r.id, "version": optional(c.version), "client_id": c.clientId,
      "client": r.clientName,
      "client_segment": r.clientSegment, "client_deleted": r.clientDeleted,
      "kind": c.kind.rawValue, "status": c.status.rawValue, "direction": c.direction.rawValue,
      "due": iso(c.dueAt), "done_at": iso(c.doneAt), "duration_min": c.durationMinutes,
      "subject": c.subject, "outcome": c.outcome, "notes": c.notes, "user": r.userLogin,
      "remind_at": iso(c.remindAt), "recurrence": c.recurrence,
      "person_id": optional(c.personId), "person": optional(r.personName),
      "series_id": optional(c.seriesId), "attempt": c.attempt, "sequence": c.sequence,
      "created_at": iso(c.createdAt), "updated_at": iso(c.updatedAt),
    ]
  }

  /// A reminder: the contact plus `overdue`, whole `late_minutes` past due (0 when not yet due)
  /// and `vip`.
  public static func object(_ r: Reminder) -> [String: Any] {
    var o = object(r.row)
    o["overdue"] = r.overdue
    o["late_minutes"] = Int((r.lateBy / 60).rounded(.down))
    o["vip"] = r.vip
    return o
  }

  /// What `crm contact log` / `done` did.
  public static func object(_ l: ContactService.Logged, next: ContactRow?) -> [String: Any] {
    [
      "id": l.id, "closed_planned": l.closedPlanned, "next_id": optional(l.nextId),
      "next_due": iso(next?.contact.dueAt), "recurring_id": optional(l.recurringId),
    ]
  }

  /// What `crm handover` moved (or would move, with `dry_run`).
  public static func handover(
    from: String, to: String, clients: Int, contacts: Int, deals: Int, dryRun: Bool
  ) -> [String: Any] {
    [
      "from": from, "to": to, "clients": clients, "contacts": contacts, "deals": deals,
      "dry_run": dryRun,
    ]
  }

  /// Every setting as its stored text, by key.
  public static func object(_ s: Settings) -> [String: Any] {
    var o: [String: Any] = [:]
    for key in Settings.keys { o[key] = s.value(key) ?? "" }
    return o
  }
}
