import CRMCore
import TerminalUI

extension KindPickerScreen {
  nonisolated static func keyTable(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick("Kind of contact", "Вид контакта"),
      ContactKind.allCases.map { k in bind([.char(k.key)], .log, k.name(l)) } + [
        SharedKeys.cancel(l)
      ])
  }
}
