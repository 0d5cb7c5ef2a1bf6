import CRMCore
import Foundation
import TerminalUI

/// `P` and `O` on an invoice, an offer or the client's money: writes the document's PDF to the
/// user's documents folder and shows its path; `O` then opens it with the user's opener.
@MainActor
enum DocumentPDFFlow {
  static func run(
    _ kind: CompanyService.Document, id: Int64, open: Bool, context: AppContext, app: App
  ) {
    let l = context.language
    guard let write = context.writePDF else {
      app.flash(l.pick("PDF is not available here.", "PDF здесь недоступен."), error: true)
      return
    }
    let path: String
    do {
      path = try write(context.core, kind, id)
    } catch {
      app.report(error)
      return
    }
    guard open else {
      app.flash("PDF: " + path + l.pick(" (O opens it)", " (O — открыть)"))
      return
    }
    guard let opener = context.openFile else {
      app.flash(
        "PDF: " + path
          + l.pick(
            " — no program to open it: set opener in ~/.config/termcrm/config.toml",
            " — нечем открыть: задайте opener в ~/.config/termcrm/config.toml"), error: true)
      return
    }
    do {
      try opener(path)
      app.flash(l.pick("Opened ", "Открыт ") + path)
    } catch {
      app.flash("PDF: " + path + " — " + "\(error)", error: true)
    }
  }

  /// The two keys every screen with a document declares in its key table.
  nonisolated static func keys(_ l: Language, what en: String, _ ru: String)
    -> [KeyBinding<Action>]
  {
    [
      bind(
        [.char("P")], .pdf,
        l.pick(
          "write \(en) as PDF to your documents folder and show the path",
          "записать \(ru) в PDF в папку документов и показать путь"), "PDF"),
      bind(
        [.char("O")], .openPDF,
        l.pick(
          "write \(en) as PDF and open it (opener in your config file)",
          "записать \(ru) в PDF и открыть (opener в вашем файле настроек)")),
    ]
  }
}
