import CRMCore
import Foundation

/// The invoice («Счёт на оплату»), the commercial offer and the act as PDF, from the same
/// `DocumentForm` the text and HTML print: A4, DejaVu Sans embedded (text selectable), the lines
/// table's header repeated on every page, totals and signatures kept together, «Страница 1 из 2»
/// under every page, and on a rouble invoice the payment QR code of ГОСТ Р 56042-2014.
public enum DocumentPDF {
  /// The PDF of a laid-out form.
  public static func render(_ form: DocumentForm) throws(PDFError) -> Data {
    try PDFFormLayout(form: form).render()
  }

  /// The PDF of document `id` as the acting user may see it. Nothing is rendered while a
  /// requisite the form shows is missing or invalid: `DocumentForm.load` throws
  /// `CRMError.invalid` naming the field and the admins who can set it.
  public static func render(_ kind: DocumentForm.Kind, id: Int64, context: ServiceContext)
    throws -> Data
  {
    try render(DocumentForm.load(kind, id: id, context: context))
  }

  /// A file name for the document: «Счёт-12-2026-12-07.pdf», «КП-2026-0007-2026-12-07.pdf»,
  /// «Акт-5-2026-11-30.pdf» (English: Invoice-…, Offer-…, Act-…). Characters a file name cannot
  /// hold («/», control characters) become «-».
  public static func fileName(
    _ kind: DocumentForm.Kind, number: String, date: String, language l: Language
  ) -> String {
    let word =
      switch kind {
      case .invoice: l.pick("Invoice", "Счёт")
      case .offer: l.pick("Offer", "КП")
      case .act: l.pick("Act", "Акт")
      }
    let safe = String(
      String.UnicodeScalarView(
        TextFold.sanitizeLine(number).unicodeScalars.map {
          $0 == "/" || $0 == "\\" || $0.value < 0x20 || $0 == " " ? "-" : $0
        }))
    let parts = [word, safe.trimmingCharacters(in: CharacterSet(charactersIn: ".-")), date]
    return parts.filter { !$0.isEmpty }.joined(separator: "-") + ".pdf"
  }

  /// The file name of document `id` (see `fileName(_:number:date:language:)`).
  public static func fileName(_ kind: DocumentForm.Kind, id: Int64, context: ServiceContext)
    throws(CRMError) -> String
  {
    let (number, date): (String?, String?)
    switch kind {
    case .invoice:
      let i = try context.money.invoice(id)?.invoice
      (number, date) = (i?.number, i?.date)
    case .act:
      let a = try context.money.act(id)?.act
      (number, date) = (a?.number, a?.date)
    case .offer:
      let o = try context.offers.offer(id)?.offer
      (number, date) = (o?.number, o?.date)
    }
    return fileName(
      kind, number: number ?? String(id), date: date ?? "", language: context.language)
  }

  /// The folder the interface writes documents to: `$XDG_DOCUMENTS_DIR/TermCRM`, else
  /// `~/Documents/TermCRM`.
  public static func folder(_ env: [String: String]) -> String {
    if let d = env["XDG_DOCUMENTS_DIR"], d.hasPrefix("/") { return d + "/TermCRM" }
    return (env["HOME"] ?? NSHomeDirectory()) + "/Documents/TermCRM"
  }

  static func name(_ e: LegalEntity) -> String {
    TextFold.sanitizeLine(e.shortName.isEmpty ? e.fullName : e.shortName)
  }
}
