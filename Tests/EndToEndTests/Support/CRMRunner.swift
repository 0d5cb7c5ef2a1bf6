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
