import CRMCore
import TerminalUI

extension ReconciliationScreen {
  nonisolated static let keyTitle = (en: "Reconciliation", ru: "Сверка")
  nonisolated static let keyGroups: [KeyGroup] = [.common]
  nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    SharedKeys.scroll(l, byLine: true)
      + SharedKeys.pages(l, hint: l.pick("page", "страница")) + SharedKeys.ends(l) + [
        bind(
          [.char("s")], .reconcile, l.pick("another statement", "другая выписка"),
          l.pick("again", "заново")),
        SharedKeys.back(l),
      ]
  }
}
