import CRMCore
import TerminalUI

extension BulkMenuScreen {
  nonisolated static func keyTable(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Bulk change", "Массовое изменение"),
      BulkMenuScreen.choices.map { c in bind([.char(c.key)], .bulk, c.name(l)) } + [
        SharedKeys.cancel(l)
      ])
  }
}
