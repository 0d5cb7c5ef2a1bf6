import CRMExchange
import Foundation
import Testing

/// Runs `crm` on a scratch database as anna, in Russian unless `lang` says otherwise, in UTC.
func crm(_ s: Scratch, _ args: [String], lang: String = "ru", tz: String = "UTC") throws -> (
  status: Int32, out: String, err: String
) {
  try run(
    crmBinary, args + ["--db", s.db, "--lang", lang],
    env: ["TZ": tz, "USER": "anna", "LANG": "ru_RU.UTF-8"])
}

func json(_ text: String) throws -> Any {
  try JSONSerialization.jsonObject(with: Data(text.utf8))
}

func isoDate(_ text: String) -> Date? {
  let f = ISO8601DateFormatter()
  f.timeZone = TimeZone(identifier: "UTC")
  return f.date(from: text)
}

/// A client in a fresh database; returns its id.
func addClient(_ s: Scratch, _ name: String = "Ромашка") throws -> String {
  let r = try crm(s, ["client", "add", "--name", name, "--legal-form", "ООО"])
  #expect(r.status == 0, "\(r.err)")
  return r.out.trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Days from `from` (UTC) to the working day `days` later: a Saturday or Sunday moves on to
/// Monday, as follow-ups do (`WorkingHours`).
func workingDays(_ days: Int, from: Date = Date()) -> Int {
  var utc = Calendar(identifier: .gregorian)
  utc.timeZone = TimeZone(identifier: "UTC")!
  let target = utc.date(byAdding: .day, value: days, to: from)!
  switch utc.component(.weekday, from: target) {
  case 7: return days + 2
  case 1: return days + 1
  default: return days
  }
}

/// Makes the whole day working hours (00–24), so a relative day keeps its time of day and only
/// the weekend rule moves it.
func workAllDay(_ s: Scratch) throws {
  for (key, value) in [("day_start", "0"), ("day_end", "24")] {
    let r = try crm(s, ["settings", "set", key, value, "--user", "anna"])
    #expect(r.status == 0, "\(r.err)")
  }
}
