import CRMCore
import Foundation

/// A printed form (Счёт на оплату, Коммерческое предложение, Акт) laid out as Russian
/// accountants expect, every piece of text already worded and formatted in the document's
/// language: «1 234 567,89 ₽», «7 декабря 2026 г.», «В том числе НДС 22 %:», the total in words.
///
/// This is the one model every renderer consumes: the plain text and HTML of
/// `InvoiceDocument` / `OfferDocument`, and the PDF. A renderer decides only where things go,
/// never what they say. Reading order, top to bottom:
///
/// 1. `logo` (offers) and `letterhead` (our entity's name, address and contacts, offers);
/// 2. `bank` — the payment block of an invoice (Банк получателя / БИК / Сч. № / ИНН / КПП /
///    Получатель), drawn as the usual bordered grid;
/// 3. `title` and `subtitles` (the act's period, «ЧЕРНОВИК», the offer's validity);
/// 4. `parties` (Поставщик / Покупатель / Основание; Исполнитель / Заказчик; От кого / Кому);
/// 5. `intro` paragraphs (an offer's opening words);
/// 6. the lines table: `columns` and `rows` (a discount row is marked);
/// 7. `totals` right-aligned, `summary` («Всего наименований 2, на сумму 3 500,00 ₽») and
///    `words` (the total in words, bold);
/// 8. `closing` paragraphs (due date, the act's statement, offer terms, the invoice footer);
/// 9. `notes` under `notesLabel`;
/// 10. `signatures` side by side, each with its role, title, name and optional image; the
///     stamp place `stampLabel` («М.П.») with the optional `stamp` image.
///
/// `payment` carries what the payment QR code (ГОСТ Р 56042-2014) needs, on invoices only.
public struct DocumentForm: Equatable, Sendable {
  public enum Kind: String, Equatable, Sendable {
    case invoice, offer, act
  }

  /// A party: a bold label, the name, then its requisites as short lines («ИНН 7707083893,
  /// КПП 770701001», the address, the bank). `text` joins them on one line, comma-separated.
  public struct Party: Equatable, Sendable {
    public var label: String
    public var name: String
    public var details: [String]

    public init(label: String, name: String, details: [String] = []) {
      self.label = label
      self.name = name
      self.details = details
    }

    /// «ООО «Ромашка», ИНН 7707083893, КПП 770701001, 125009, г. Москва, …».
    public var text: String { ([name] + details).filter { !$0.isEmpty }.joined(separator: ", ") }
  }

  /// The payment block at the top of an invoice, as a 4-row grid:
  ///
  ///     | bankName                            | БИК   | bik         |
  ///     | Банк получателя                     | Сч. № | corrAccount |
  ///     | ИНН inn        | КПП kpp            | Сч. № | account     |
  ///     | payee                               |       |             |
  ///     | Получатель                          |       |             |
  public struct BankBlock: Equatable, Sendable {
    public var bankName: String
    public var bik: String
    public var corrAccount: String
    public var account: String
    public var inn: String
    public var kpp: String
    public var payee: String
    /// «Банк получателя», «БИК», «Сч. №», «ИНН», «КПП», «Получатель».
    public var bankLabel: String
    public var bikLabel: String
    public var accountLabel: String
    public var innLabel: String
    public var kppLabel: String
    public var payeeLabel: String
  }

  public enum Alignment: String, Equatable, Sendable { case left, center, right }

  /// A column of the lines table: its header and alignment; `item` is the one that takes the
  /// free width and wraps.
  public struct Column: Equatable, Sendable {
    public var title: String
    public var alignment: Alignment
    public var item: Bool

    public init(_ title: String, _ alignment: Alignment, item: Bool = false) {
      self.title = title
      self.alignment = alignment
      self.item = item
    }
  }

  /// A row of the lines table: one cell per column; `discount` for a discount line (printed
  /// as it is, its sum negative).
  public struct Row: Equatable, Sendable {
    public var cells: [String]
    public var discount: Bool
  }

  /// A line of the totals under the table; `grand` is the one to pay (bold).
  public struct Total: Equatable, Sendable {
    public var label: String
    public var amount: String
    public var grand: Bool
  }

  /// A signature place: «Руководитель» Генеральный директор ____ Иванов И. И. `image` is the
  /// PNG of the signature when our entity has one and this side is ours.
  public struct Signature: Equatable, Sendable {
    /// «Руководитель», «Бухгалтер», «Исполнитель», «Заказчик».
    public var role: String
    /// «Генеральный директор» (may be empty).
    public var title: String
    /// «Иванов И. И.» (may be empty: a line to fill in by hand).
    public var name: String
    public var image: Data?
  }

  /// What a payment QR code (ГОСТ Р 56042-2014, `ST00012|Name=…|PersonalAcc=…|BankName=…|
  /// BIC=…|CorrespAcc=…|PayeeINN=…|KPP=…|Sum=…|Purpose=…`) carries. Values are raw (not
  /// escaped for the QR format); `sumMinor` is in kopecks (minor units of `currency`).
  public struct Payment: Equatable, Sendable {
    public var name: String
    public var account: String
    public var bankName: String
    public var bik: String
    public var corrAccount: String
    public var inn: String
    public var kpp: String
    public var sumMinor: Int64
    public var currency: String
    public var purpose: String
  }

  public var kind: Kind
  /// The document's day (`YYYY-MM-DD`), the PDF's creation date: the same document prints to
  /// the same bytes whenever it is printed (the file e-mailed equals the one printed).
  public var day: String = ""
  public var language: Language
  /// Our entity the document comes from, with its images.
  public var issuer: LegalEntity
  /// The offer's logo (our entity's), nil on invoices and acts or when there is none.
  public var logo: Data?
  /// Offers: our entity's name, address and contacts under the logo.
  public var letterhead: [String] = []
  public var bank: BankBlock?
  public var title: String
  public var subtitles: [String] = []
  public var parties: [Party] = []
  public var intro: [String] = []
  public var columns: [Column]
  public var rows: [Row]
  public var totals: [Total]
  public var summary: String
  public var words: String
  public var closing: [String] = []
  public var notesLabel: String
  public var notes: [String] = []
  public var signatures: [Signature] = []
  /// «М.П.» where the stamp goes; nil when the form has no stamp place.
  public var stampLabel: String?
  public var stamp: Data?
  public var payment: Payment?
}
