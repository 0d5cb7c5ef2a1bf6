import CRMCore
import Foundation
import TerminalUI

/// `m` on a document: choose one of the client's or its contact persons' addresses, confirm,
/// and send through the user's mail command (`AppContext.sendDocument`).
@MainActor
enum SendFlow {
  static func start(
    _ kind: SentDocumentKind, _ id: Int64, tab: Int, context: AppContext, app: App,
    changed: @escaping () -> Void
  ) {
    let l = context.language
    guard let send = context.sendDocument else {
      app.flash(
        l.pick("Sending mail is not available here.", "Отправка почты здесь недоступна."),
        error: true)
      return
    }
    let plan: SendPlan
    do { plan = try context.core.sending.plan(kind, id) } catch {
      app.report(error)
      return
    }
    let items = plan.recipients.map {
      PickItem(key: $0.address, label: $0.address, detail: $0.name)
    }
    app.push(
      PickerScreen.fixed(
        tab: tab, context: context,
        title: l.pick(
          "Send \(kind.name(l)) No. \(plan.number)", "Отправить \(kind.name(l)) № \(plan.number)"),
        prompt: l.pick("Choose the address; Enter sends.", "Выберите адрес; Enter — отправить."),
        items: items
      ) { item, app in
        do {
          app.flash(try send(kind, id, item.key))
          changed()
        } catch {
          app.report(error)
        }
      })
  }
}
