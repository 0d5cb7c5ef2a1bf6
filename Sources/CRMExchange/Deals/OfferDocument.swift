import CRMCore
import Foundation

/// A commercial offer as a printable document: plain text that fits 80 columns, or a
/// standalone HTML page with print CSS, both rendered from the same `DocumentForm` (which the
/// PDF renders too). The sender is our entity, the manager signs; the deal's internal title is
/// never printed.
public enum OfferDocument {
  /// The width of the plain-text printout, in terminal columns.
  public static let width = DocumentForm.textWidth

  /// The offer as plain text, every line at most `width` columns.
  public static func text(
    _ offer: Offer, lines: [OfferLine], client: Client, from e: LegalEntity, manager: String?,
    language l: Language
  ) -> String {
    DocumentForm.offer(offer, lines: lines, client: client, from: e, manager: manager, language: l)
      .text()
  }

  /// The offer as a complete UTF-8 HTML page with inline CSS for screen and print (A4); every
  /// piece of text is HTML-escaped.
  public static func html(
    _ offer: Offer, lines: [OfferLine], client: Client, from e: LegalEntity, manager: String?,
    language l: Language
  ) -> String {
    DocumentForm.offer(offer, lines: lines, client: client, from: e, manager: manager, language: l)
      .html()
  }

  /// Text with `& < > " '` replaced by entities, safe in element content and quoted attributes.
  public static func escape(_ s: String) -> String { PrintedDocument.escape(s) }
}
