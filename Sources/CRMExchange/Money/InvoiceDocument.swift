import CRMCore
import Foundation

/// Invoices («Счёт на оплату») and acts («Акт выполненных работ (оказанных услуг)») as
/// printable documents: plain text that fits 80 columns, or a standalone HTML page with print
/// CSS, both rendered from the same `DocumentForm` (which the PDF renders too).
public enum InvoiceDocument {
  /// The width of the plain-text printout, in terminal columns.
  public static let width = DocumentForm.textWidth

  public static func text(_ d: InvoiceDetail, from e: LegalEntity, language l: Language)
    -> String
  {
    DocumentForm.invoice(d, from: e, language: l).text()
  }

  public static func html(_ d: InvoiceDetail, from e: LegalEntity, language l: Language)
    -> String
  {
    DocumentForm.invoice(d, from: e, language: l).html()
  }

  public static func text(_ d: ActDetail, from e: LegalEntity, language l: Language) -> String {
    DocumentForm.act(d, from: e, language: l).text()
  }

  public static func html(_ d: ActDetail, from e: LegalEntity, language l: Language) -> String {
    DocumentForm.act(d, from: e, language: l).html()
  }

  /// An invoice as HTML (`html`) or text.
  public static func render(
    _ d: InvoiceDetail, html: Bool, from e: LegalEntity, language l: Language
  ) -> String {
    let f = DocumentForm.invoice(d, from: e, language: l)
    return html ? f.html() : f.text()
  }

  /// An act as HTML (`html`) or text.
  public static func render(_ d: ActDetail, html: Bool, from e: LegalEntity, language l: Language)
    -> String
  {
    let f = DocumentForm.act(d, from: e, language: l)
    return html ? f.html() : f.text()
  }
}
