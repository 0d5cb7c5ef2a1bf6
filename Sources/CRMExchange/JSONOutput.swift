import CRMCore
import Foundation

/// The `--json` shape of clients, stable for scripts: snake_case keys, ISO 8601 dates in UTC,
/// keys sorted so diffs of two outputs are readable.
public enum ClientJSON {
  static func iso(_ d: Date?) -> Any {
    guard let d else { return NSNull() }
    let f = ISO8601DateFormatter()
    f.timeZone = TimeZone(identifier: "UTC")
    return f.string(from: d)
  }

  /// One list row.
  public static func object(_ r: ClientRow) -> [String: Any] {
    [
      "id": r.id, "name": r.name, "city": r.city, "phone": r.phone, "segment": r.segment,
      "owner": r.owner, "last_contact": iso(r.lastContact),
    ]
  }

  /// A whole client with its contact persons.
  public static func object(_ c: Client, persons: [ContactPerson], owner: String?) -> [String: Any]
  {
    [
      "id": c.id ?? 0, "version": c.version.map { $0 as Any } ?? NSNull(),
      "kind": c.kind.rawValue, "name": c.name, "display_name": c.displayName,
      "legal_form": c.legalForm, "inn": c.inn, "kpp": c.kpp, "ogrn": c.ogrn,
      "phones": c.phones.map { ["raw": $0.raw, "e164": $0.e164 as Any? ?? NSNull()] },
      "emails": c.emails, "website": c.website, "city": c.city,
      "legal_address": c.legalAddress, "actual_address": c.actualAddress,
      "postal_address": c.postalAddress,
      "bank_accounts": c.bankAccounts.map {
        [
          "bik": $0.bik, "account": $0.account, "corr_account": $0.corrAccount,
          "bank_name": $0.bankName,
        ]
      },
      "lead_source": c.leadSource, "segment": c.segment, "owner": owner as Any? ?? NSNull(),
      "tags": c.tags, "notes": c.notes, "created_at": iso(c.createdAt),
      "updated_at": iso(c.updatedAt), "deleted_at": iso(c.deletedAt),
      "last_contact": iso(c.lastContactAt),
      "persons": persons.map {
        [
          "id": $0.id ?? 0, "name": $0.name, "position": $0.position,
          "phones": $0.phones.map(\.raw), "emails": $0.emails, "birthday": $0.birthday,
          "notes": $0.notes,
        ] as [String: Any]
      },
    ]
  }

  /// Serialises to pretty, key-sorted UTF-8 JSON (Cyrillic kept as is, not escaped).
  public static func text(_ value: Any) -> String {
    let data =
      (try? JSONSerialization.data(
        withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
      ?? Data("null".utf8)
    return String(decoding: data, as: UTF8.self)
  }
}
