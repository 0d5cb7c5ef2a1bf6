import CRMCore
import Foundation

/// `u` on a screen that keeps its own changes: the change is named and asked about first
/// («Отменить: план звонка 10.12.2026 10:00 для «…»?»), undone on `y`. The screen chooses the
/// step (`ClientService.undoable`), so nothing made elsewhere or by somebody else is reached.
@MainActor
enum UndoFlow {
  static func offer(
    _ step: UndoStep?, nothing: String, context: AppContext, app: App,
    done: @escaping () -> Void
  ) {
    let l = context.language
    guard let step else {
      app.flash(nothing)
      return
    }
    if let why = step.blocked {
      app.flash(l.pick("Cannot undo: \(why).", "Отменить нельзя: \(why)."), error: true)
      return
    }
    app.ask(
      l.pick("Undo", "Отмена изменения"), l.pick("Undo: \(step.what)?", "Отменить: \(step.what)?")
    ) {
      do {
        try context.clients.undo(step.changeId)
        app.flash(l.pick("Undone: \(step.what).", "Отменено: \(step.what)."))
      } catch { app.report(error) }
      done()
    }
  }
}
