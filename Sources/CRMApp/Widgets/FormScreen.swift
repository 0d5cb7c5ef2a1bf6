import CRMCore
import Foundation
import TerminalUI

/// A form on its own screen: fields, per-field messages, notes under the form, and a submit
/// handler that returns true when the screen may close.
@MainActor
class FormScreen: Screen {
  /// The tab of the screen the form was opened from.
  let tab: Int
  let context: AppContext
  var form: Form
  var warnings: [String] = []
  var capturesText: Bool { true }
  /// The fields' values as the form opened: Esc asks before dropping anything typed since.
  var initialValues: [String]

  init(context: AppContext, form: Form, tab: Int = 1) {
    self.tab = tab
    self.context = context
    self.form = form
    initialValues = form.fields.map(\.input.text)
  }

  /// True when a field holds something other than what the form opened with.
  var edited: Bool { form.fields.map(\.input.text) != initialValues }

  var unsavedWork: String? {
    edited ? context.language.pick("the form «\(form.title)»", "форма «\(form.title)»") : nil
  }

  func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    let formRows = warnings.isEmpty ? rows : max(4, rows - warnings.count - 1)
    form.draw(&canvas, top: top, rows: formRows, width: width)
    for (i, w) in warnings.enumerated() {
      canvas.put(
        top + formRows + i, 1, w, i == 0 ? Style(bold: true, color: .yellow) : .plain,
        maxWidth: width - 2)
    }
  }

  func handle(_ key: Key, app: App) {
    switch form.handle(key) {
    case .cancel:
      guard edited else {
        app.pop()
        app.flash(cancelMessage)
        return
      }
      let l = context.language
      app.ask(
        l.pick("Close the form", "Закрыть форму"),
        l.pick(
          "What you typed in «\(form.title)» is not saved. Close without saving?",
          "Введённое в форме «\(form.title)» не сохранено. Закрыть без сохранения?"),
        no: l.pick("Carry on: ^S saves.", "Продолжайте: ^S — сохранить.")
      ) { [weak self, weak app] in
        guard let self, let app else { return }
        // The form may have closed meanwhile (it is on top while the question is shown).
        if app.current === self { app.pop() }
        app.flash(cancelMessage)
      }
    case .submit:
      if submit(app: app) { app.pop() }
    case .none:
      break
    }
  }

  /// Shown when Esc closes the form.
  var cancelMessage: String { context.language.pick("Not saved.", "Не сохранено.") }

  /// Saves; on a validation problem marks the field and stays open.
  func submit(app: App) -> Bool { true }

  /// Runs a save that says whether the form may close; a refusal is shown on the form (`show`)
  /// and keeps it open.
  func saving(app: App, _ save: () throws(CRMError) -> Bool) -> Bool {
    do {
      return try save()
    } catch {
      show(error, app: app)
      return false
    }
  }

  func show(_ error: CRMError, app: App) {
    if case .invalid(let field, let problem) = error,
      let f = form.fields.first(where: { $0.label == field })
    {
      form.setError(f.key, problem)
      app.flash(error.message(context.language), error: true)
    } else {
      form.setError(nil, nil)
      app.report(error)
    }
  }

  static func list(_ s: String) -> [String] {
    s.split(whereSeparator: { $0 == "," || $0 == ";" }).map { String($0).trimmingSpaces() }
      .filter { !$0.isEmpty }
  }
}
