import CRMCore
import TerminalUI

extension ReconciliationScreen {
  nonisolated static func keyTable(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Reconciliation", "Сверка"),
      SharedKeys.common(l) + SharedKeys.scroll(l, byLine: true)
        + SharedKeys.pages(l, hint: l.pick("page", "страница")) + SharedKeys.ends(l) + [
          bind(
            [.char("s")], .reconcile, l.pick("another statement", "другая выписка"),
            l.pick("again", "заново")),
          SharedKeys.back(l),
        ])
  }
}
