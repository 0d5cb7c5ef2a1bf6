import Foundation

/// Acts as CSV for 1C:Бухгалтерия 2.0 (platform 8.2), which has no EnterpriseData: its users load
/// documents with "Универсальный обмен данными в формате XML" or a loading processor and
/// conversion rules of their own, and those read a flat table best.
///
/// One row per act line (an act without lines gets one row with the line columns empty), a
/// header row in Russian, `;` between fields (what Excel and 1C expect in a Russian locale),
/// RFC 4180 quoting, CRLF, UTF-8 with a BOM (so Excel and 1C 8.2 detect the encoding), amounts
/// with a dot and the currency's minor digits (`1200.00`), quantities with up to three decimals
/// (`2.5`), dates `dd.MM.yyyy`, VAT rates as 1C prints them (`20%`, `Без НДС`), currency as ISO
/// letters.
public enum ActsCSV {
  public static let header = [
    "Номер", "Дата", "Контрагент", "ИНН", "КПП", "Договор", "ДатаДоговора", "Период с", "Период по",
    "Услуга", "Количество", "Цена", "Сумма", "СтавкаНДС", "СуммаНДС", "Валюта", "ВсегоПоАкту",
  ]

  public static func write(acts: [ActExport]) -> Data {
    var rows: [[String]] = []
    for act in acts {
      let digits = EnterpriseDataFormat.minorDigits(act.currencyCode)
      func money(_ minor: Int64) -> String { EnterpriseDataFormat.amount(minor, digits: digits) }
      func day(_ iso: String?) -> String {
        guard let iso, !iso.isEmpty else { return "" }
        return EnterpriseDataFormat.russianDate(iso)
      }
      let head = [
        EnterpriseDataText.line(act.number), day(act.date),
        EnterpriseDataText.line(act.counterparty.name),
        EnterpriseDataText.line(act.counterparty.inn),
        EnterpriseDataText.line(act.counterparty.kpp),
        act.contract.map { EnterpriseDataText.line($0.number) } ?? "", day(act.contract?.date),
        day(act.periodFrom), day(act.periodTo),
      ]
      let tail = [EnterpriseDataText.line(act.currencyCode).uppercased(), money(act.total)]
      if act.lines.isEmpty {
        rows.append(head + ["", "", "", "", "", ""] + tail)
      }
      for line in act.lines {
        rows.append(
          head + [
            EnterpriseDataText.line(line.name),
            EnterpriseDataFormat.quantity(line.quantityThousandths), money(line.price),
            money(line.sum), rateName(line.vatRate), money(line.vat),
          ] + tail)
      }
    }
    let text = CSV.text(header: header, rows: rows, delimiter: ";")
    return Data([0xEF, 0xBB, 0xBF] + Array(text.utf8))
  }

  /// `20%`, `0%`, `Без НДС`.
  static func rateName(_ rate: String) -> String {
    let r = rate.trimmingCharacters(in: .whitespaces)
    return EnterpriseDataFormat.isWithoutVAT(r) ? "Без НДС" : r + "%"
  }
}
