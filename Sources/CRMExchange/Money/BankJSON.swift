import CRMCore
import Foundation

/// The `--json` and `--csv` shapes of `crm import bank` and `crm report reconcile`: snake_case
/// keys, amounts as decimal strings in roubles ("120000.00"), days `YYYY-MM-DD`.
public enum BankJSON {
  static func amount(_ minor: Int64?) -> Any {
    minor.map { Money(minor: $0).plain as Any } ?? NSNull()
  }
  static func opt<T>(_ v: T?) -> Any { v.map { $0 as Any } ?? NSNull() }

  public static func importReport(
    _ r: BankImportReport, encoding: String, warnings: [String]
  ) -> [String: Any] {
    [
      "file": r.file, "dry_run": r.dryRun, "import_id": opt(r.importId), "encoding": encoding,
      "documents": r.outcomes.count, "created": r.created, "matched": r.matched,
      "queued": r.queued, "skipped": r.skipped, "warnings": warnings,
      "outcomes": r.outcomes.map { o in
        [
          "line": o.line, "number": o.number, "date": o.date, "amount": amount(o.amount),
          "payer": o.payerName, "payer_inn": o.payerINN, "result": o.result.rawValue,
          "reason": o.reason, "payment_id": opt(o.paymentId), "client_id": opt(o.clientId),
          "client": opt(o.clientName), "invoices": o.invoiceNumbers,
          "contract": opt(o.contractNumber),
        ] as [String: Any]
      },
    ]
  }

  static func row(_ r: ReconciliationRow) -> [String: Any] {
    [
      "kind": r.kind.rawValue, "document": r.document.rawValue, "client_id": opt(r.clientId),
      "client": r.clientName, "inn": r.inn, "number": r.number, "crm_date": opt(r.crmDate),
      "accounting_date": opt(r.accountingDate), "crm_amount": amount(r.crmAmount),
      "accounting_amount": amount(r.accountingAmount), "difference": amount(r.difference),
      "crm_id": opt(r.crmId), "line": opt(r.line), "note": r.note,
    ]
  }

  public static func reconciliation(_ r: ReconciliationReport) -> [String: Any] {
    var counts: [String: Any] = [:]
    for k in ReconciliationRow.Kind.allCases {
      counts[k.rawValue] = [
        "payments": r.count(k, .payment), "acts": r.count(k, .act),
      ]
    }
    return [
      "from": r.from, "to": r.to, "agrees": r.agrees, "counts": counts,
      "compared_acts_with_file": r.comparedActs, "rows": r.rows.map(row),
      "clients": r.clients.map { c in
        [
          "client_id": opt(c.clientId), "client": c.name, "inn": c.inn, "crm": amount(c.crm),
          "accounting": amount(c.accounting), "difference": amount(c.difference),
          "differences": c.differences,
        ] as [String: Any]
      },
      "management_only": r.managementOnly.map { p in
        [
          "payment_id": p.id, "client_id": opt(p.payment.clientId), "client": opt(p.clientName),
          "date": p.payment.date, "amount": amount(p.payment.amount),
        ] as [String: Any]
      },
      "management_only_total": amount(r.managementOnlyTotal),
      "accounted_cash_total": amount(r.accountedCash),
    ]
  }

  /// One CSV row per reconciliation row (management-only cash is not a row: see the JSON).
  public static func reconciliationCSV(_ r: ReconciliationReport) -> String {
    CSV.text(
      header: [
        "kind", "document", "client_id", "client", "inn", "number", "crm_date", "accounting_date",
        "crm_amount", "accounting_amount", "difference", "crm_id", "line", "note",
      ],
      rows: r.rows.map { x in
        [
          x.kind.rawValue, x.document.rawValue, x.clientId.map(String.init) ?? "", x.clientName,
          x.inn, x.number, x.crmDate ?? "", x.accountingDate ?? "",
          x.crmAmount.map { Money(minor: $0).plain } ?? "",
          x.accountingAmount.map { Money(minor: $0).plain } ?? "",
          Money(minor: x.difference).plain, x.crmId.map(String.init) ?? "",
          x.line.map(String.init) ?? "", x.note,
        ]
      })
  }
}
