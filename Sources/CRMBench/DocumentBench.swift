import CRMCore
import CRMExchange
import Foundation
import GRDB

extension Benchmark {
  /// An invoice as a manager sends it: the latest issued invoice of the dataset with at most 10
  /// lines (one page), laid out as the form and rendered as PDF with its payment QR code, from
  /// an entity with real check-digit-valid requisites. Bound: reading the invoice and its lines
  /// through the bare C API.
  func invoicePDF(_ db: CRMDatabase) throws -> BenchCase {
    let context = ServiceContext(db: db, language: .ru, timeZone: TimeZone(identifier: "UTC")!)
    let money = MoneyService(context)
    let id = try db.read { db in
      try Int64.fetchOne(
        db,
        sql: """
          SELECT i.id FROM invoice i WHERE i.status = 'issued'
            AND (SELECT count(*) FROM invoice_line l WHERE l.invoice_id = i.id) BETWEEN 1 AND 10
          ORDER BY i.id DESC LIMIT 1
          """)
    }
    guard let id else {
      return BenchCase(
        name: "invoice PDF, one page", ours: nil, bound: nil, ratio: nil, target: 100,
        unit: "ms", value: nil, note: "no issued invoice in the dataset")
    }
    let entity = LegalEntity(
      kind: .organization, fullName: "Общество с ограниченной ответственностью «Ромашка»",
      shortName: "ООО «Ромашка»", inn: "7707083893", kpp: "770701001", ogrn: "1027700132195",
      legalAddress: "125009, г. Москва, ул. Тверская, д. 1", bankName: "ПАО Сбербанк",
      bik: "044525225", corrAccount: "30101810400000000225", account: "40702810938000012345",
      directorTitle: "Генеральный директор", directorName: "Иванов И. И.",
      accountantTitle: "Главный бухгалтер", accountantName: "Петрова А. А.",
      phone: "+7 495 123-45-67", isDefault: true)
    let raw = try RawSQLite(path: path)
    var bytes = 0
    let (ours, bound) = try sampled(warmup: 2, runs: options.quick ? 10 : 30) { _ in
      let t = try time {
        guard let d = try money.invoice(id) else { return }
        let pdf = try DocumentPDF.render(DocumentForm.invoice(d, from: entity, language: .ru))
        bytes = pdf.count
      }
      let b = try time {
        try raw.run(
          SQLStatement(
            sql: """
              SELECT i.*, cl.name, cl.inn, cl.kpp, cl.legal_address FROM invoice i
              JOIN client cl ON cl.id = i.client_id WHERE i.id = ?
              """, arguments: [.integer(id)]))
        try raw.run(
          SQLStatement(
            sql: "SELECT * FROM invoice_line WHERE invoice_id = ? ORDER BY position",
            arguments: [.integer(id)]))
      }
      return (t, b)
    }
    return result(
      "invoice PDF, one page", ours: ours, bound: bound,
      note:
        "invoice №\(id): read, form, cairo/pango PDF with QR (\(bytes / 1024) KB); bound: its SQL"
    )
  }
}
