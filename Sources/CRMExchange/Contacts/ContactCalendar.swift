import CRMCore
import Foundation

/// Planned contacts as iCalendar events (`crm export ics`).
public enum ContactCalendar {
  /// `contact-<id>@<token>`: the same contact keeps its UID in every export of this database,
  /// so calendar programs update the event instead of adding a copy.
  public static func uid(contactId: Int64, token: String) -> String {
    "contact-\(contactId)@\(token)"
  }

  /// The stored repeat (`3d`, `2w`, `1m`) as an RRULE value; nil when it does not repeat.
  public static func rrule(_ recurrence: String) -> String? {
    guard !recurrence.isEmpty, let r = Recurrence(recurrence) else { return nil }
    let freq: String
    switch r.unit {
    case .day: freq = "DAILY"
    case .week: freq = "WEEKLY"
    case .month: freq = "MONTHLY"
    }
    return "FREQ=\(freq);INTERVAL=\(max(1, r.every))"
  }

  /// "Звонок: ООО «Ромашка»": the kind's name, capitalised, and the client.
  public static func summary(_ r: ContactRow, language l: Language) -> String {
    let kind = r.contact.kind.name(l)
    return kind.prefix(1).uppercased() + kind.dropFirst() + ": " + r.clientName
  }

  /// Subject, notes, contact person and the responsible user, one per line.
  public static func description(_ r: ContactRow, language l: Language) -> String {
    let c = r.contact
    var lines: [String] = []
    if !c.subject.isEmpty { lines.append(l.pick("Subject: ", "Тема: ") + c.subject) }
    if let p = r.personName, !p.isEmpty {
      lines.append(l.pick("Contact person: ", "Контактное лицо: ") + p)
    }
    lines.append(l.pick("Responsible: ", "Ответственный: ") + r.userLogin)
    if !c.notes.isEmpty { lines.append(c.notes) }
    return lines.joined(separator: "\n")
  }

  /// One event per planned contact: DTEND after its duration (15 minutes when it has none),
  /// the reminder as an alarm, the reschedule count as SEQUENCE and the repeat as RRULE.
  public static func event(_ r: ContactRow, token: String, language l: Language) -> ICSEvent? {
    let c = r.contact
    guard let start = c.dueAt else { return nil }
    let end = start.addingTimeInterval(
      c.durationMinutes > 0 ? Double(c.durationMinutes) * 60 : ICalendar.fallbackDuration)
    return ICSEvent(
      uid: uid(contactId: r.id, token: token), start: start, end: end,
      summary: summary(r, language: l), description: description(r, language: l),
      categories: [c.kind.name(l)], alarm: c.remindAt, created: c.createdAt ?? start,
      lastModified: c.updatedAt ?? c.createdAt ?? start, sequence: c.sequence,
      rrule: rrule(c.recurrence))
  }
}
