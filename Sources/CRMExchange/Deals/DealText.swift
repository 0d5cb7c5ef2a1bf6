import CRMCore
import Foundation

/// Deals and funnel figures in words for people, in either language: what an entry action
/// did, what a configured action will do, percentages and days with the language's decimal
/// mark.
public enum DealText {
  /// What one entry action did: `planned call №12 for 26.11.2026 10:00`, `draft offer №3`.
  /// `contact` is the planned contact when it still exists.
  public static func event(_ e: DealEvent, contact: ContactRow?, formats f: Formats) -> String {
    let l = f.language
    if let id = e.contactId {
      guard let c = contact?.contact else {
        return l.pick("planned contact №\(id)", "запланирован контакт №\(id)")
      }
      let due = c.dueAt.map { l.pick(" for ", " на ") + f.dateTime($0) } ?? ""
      return l.pick("planned ", planned(c.kind)) + "\(c.kind.name(l)) №\(id)\(due)"
    }
    if let id = e.offerId { return l.pick("draft offer №\(id)", "черновик КП №\(id)") }
    return e.action
  }

  /// «запланирован звонок», «запланирована встреча», «запланировано письмо».
  static func planned(_ k: ContactKind) -> String {
    switch k {
    case .meeting, .request, .complaint: return "запланирована "
    case .letter, .other: return "запланировано "
    case .call, .email, .visit: return "запланирован "
    }
  }

  /// `30%` / `30 %`.
  public static func probability(_ p: Int, language l: Language) -> String {
    l.pick("\(p)%", "\(p)\u{00A0}%")
  }

  /// What a configured entry action will do: `plan a call in +3d «Ask for the decision»`.
  public static func action(_ a: EntryAction, language l: Language) -> String {
    switch a {
    case .plan(let kind, let after, let subject):
      return l.pick(
        "plan a \(kind.name(l)) in \(after)", "запланировать: \(kind.name(l)) через \(after)")
        + (subject.isEmpty ? "" : " «\(subject)»")
    case .draft(.offer):
      return l.pick("draft an offer", "черновик КП")
    case .require(let field):
      return l.pick("requires: ", "требует: ") + field.name(l).lowercased()
    }
  }

  /// `open`, `won`, `lost` / `открытый`, `выигрыш`, `проигрыш`.
  public static func kind(_ k: StageKind, language l: Language) -> String {
    switch k {
    case .open: return l.pick("open", "открытый")
    case .won: return l.pick("won", "выигрыш")
    case .lost: return l.pick("lost", "проигрыш")
    }
  }

  /// `2.5` / `2,5` with `digits` decimals; `—` for nil.
  public static func number(_ v: Double?, digits: Int = 1, language l: Language) -> String {
    guard let v else { return "—" }
    let text = String(format: "%.\(digits)f", v)
    return l == .ru ? text.replacingOccurrences(of: ".", with: ",") : text
  }

  /// A ratio as a percentage: `60.0%` / `60,0 %`; `—` for nil.
  public static func percent(_ r: Double?, language l: Language) -> String {
    guard let r else { return "—" }
    return number(r * 100, digits: 1, language: l) + l.pick("%", "\u{00A0}%")
  }

  /// `3 days` / `3 дн.`
  public static func days(_ n: Int, language l: Language) -> String {
    l.pick(n == 1 ? "1 day" : "\(n) days", "\(n)\u{00A0}дн.")
  }

  /// A stored `YYYY-MM-DD` day as the language writes dates: `31.12.2026` / `2026-12-31`.
  public static func day(_ iso: String, language l: Language) -> String {
    let p = iso.split(separator: "-")
    guard l == .ru, p.count == 3 else { return iso }
    return "\(p[2]).\(p[1]).\(p[0])"
  }

  /// `stuck: 3 days over the 5-day limit` / `зависла: на 3 дн. дольше нормы в 5 дн.`
  public static func stuck(daysOver: Int, limit: Int?, language l: Language) -> String {
    let over = days(daysOver, language: l)
    guard let limit else {
      return l.pick("stuck: \(over) over", "зависла: на \(over) дольше нормы")
    }
    return l.pick(
      "stuck: \(over) over the \(limit)-day limit",
      "зависла: на \(over) дольше нормы в \(days(limit, language: l))")
  }
}
