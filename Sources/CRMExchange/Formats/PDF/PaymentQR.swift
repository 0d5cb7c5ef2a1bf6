import CPangoCairo
import CQREncode
import CRMCore
import Foundation

/// The payment QR code of ГОСТ Р 56042-2014 («Стандарты финансовых операций. Двумерные символы
/// штрихового кода для осуществления платежей физических лиц»), which Russian bank apps scan to
/// fill in a transfer: `ST00012|Name=…|PersonalAcc=…|BankName=…|BIC=…|CorrespAcc=…|…`.
///
/// `ST` is the format, `0001` the version, `2` the encoding (UTF-8), then the separator `|`.
/// The five required fields come first in the standard's order; values may not contain the
/// separator (a `|` becomes `/`), line breaks become spaces, and each value is cut to the
/// standard's maximum length.
public struct PaymentQR: Equatable, Sendable {
  /// Получатель платежа (up to 160 characters).
  public var name: String
  /// Расчётный счёт получателя (20 digits).
  public var personalAccount: String
  /// Наименование банка получателя (up to 45).
  public var bankName: String
  /// БИК (9 digits).
  public var bik: String
  /// Корр. счёт банка (up to 20; «0» when the bank has none).
  public var correspondentAccount: String
  /// ИНН получателя (up to 12).
  public var payeeINN: String
  /// КПП получателя (up to 9).
  public var kpp: String
  /// The sum in kopecks (up to 18 digits).
  public var sumKopecks: Int64?
  /// Назначение платежа (up to 210).
  public var purpose: String

  public init(
    name: String, personalAccount: String, bankName: String, bik: String,
    correspondentAccount: String, payeeINN: String = "", kpp: String = "",
    sumKopecks: Int64? = nil, purpose: String = ""
  ) {
    self.name = name
    self.personalAccount = personalAccount
    self.bankName = bankName
    self.bik = bik
    self.correspondentAccount = correspondentAccount
    self.payeeINN = payeeINN
    self.kpp = kpp
    self.sumKopecks = sumKopecks
    self.purpose = purpose
  }

  /// The payee and bank from our legal entity.
  public init(entity e: LegalEntity, sumKopecks: Int64?, purpose: String) {
    self.init(
      name: e.shortName.isEmpty ? e.fullName : e.shortName, personalAccount: e.account,
      bankName: e.bankName, bik: e.bik, correspondentAccount: e.corrAccount, payeeINN: e.inn,
      kpp: e.kind == .organization ? e.kpp : "", sumKopecks: sumKopecks, purpose: purpose)
  }

  /// A value as the standard allows it: no separator, one line, trimmed, at most `limit`.
  static func clean(_ s: String, _ limit: Int) -> String {
    var t = TextFold.sanitizeLine(s).replacingOccurrences(of: "|", with: "/")
    t = t.trimmingSpaces()
    return t.count > limit ? String(t.prefix(limit)).trimmingSpaces() : t
  }

  /// The string the QR code holds.
  public var payload: String {
    var parts = [
      "ST00012",
      "Name=" + Self.clean(name, 160),
      "PersonalAcc=" + Self.clean(personalAccount, 20),
      "BankName=" + Self.clean(bankName, 45),
      "BIC=" + Self.clean(bik, 9),
      "CorrespAcc=" + (correspondentAccount.isEmpty ? "0" : Self.clean(correspondentAccount, 20)),
    ]
    if !payeeINN.isEmpty { parts.append("PayeeINN=" + Self.clean(payeeINN, 12)) }
    if !kpp.isEmpty { parts.append("KPP=" + Self.clean(kpp, 9)) }
    if let sumKopecks, sumKopecks > 0 { parts.append("Sum=\(sumKopecks)") }
    if !purpose.isEmpty { parts.append("Purpose=" + Self.clean(purpose, 210)) }
    return parts.joined(separator: "|")
  }

  /// The modules of the QR symbol (libqrencode, error correction level M, 8-bit bytes of the
  /// UTF-8 text): `size`×`size`, row by row, true for dark. Nil if the text is too long.
  public static func modules(_ text: String) -> (size: Int, dark: [Bool])? {
    guard let code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M) else { return nil }
    defer { QRcode_free(code) }
    let size = Int(code.pointee.width)
    guard let data = code.pointee.data, size > 0 else { return nil }
    let dark = (0..<(size * size)).map { data[$0] & 1 == 1 }
    return (size, dark)
  }
}

extension PDFComposer {
  /// The QR code of `text` as vector squares, `side` points wide including the quiet zone of
  /// four modules the standard asks for; nil when libqrencode cannot encode it.
  func qrBlock(_ text: String, side: Double, x: Double) -> PDFBlock? {
    guard let (size, dark) = PaymentQR.modules(text) else { return nil }
    let module = side / Double(size + 8)
    return PDFBlock(height: side) { cr, y in
      cairo_set_source_rgb(cr, 0, 0, 0)
      for r in 0..<size {
        for c in 0..<size where dark[r * size + c] {
          cairo_rectangle(
            cr, x + Double(c + 4) * module, y + Double(r + 4) * module, module, module)
        }
      }
      cairo_fill(cr)
    }
  }
}
