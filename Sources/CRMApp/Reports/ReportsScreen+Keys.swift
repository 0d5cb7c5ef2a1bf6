import CRMCore
import TerminalUI

extension ReportsScreen {
  public nonisolated static let keyTitle = (en: "Reports", ru: "Отчёты")
  public nonisolated static let keyGroups: [KeyGroup] = [.common]
  public nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind(
        [.tab, .right, .char("l")], .nextSection,
        l.pick(
          "next report: funnel, lead sources, stuck deals, completeness, segments, ABC/XYZ",
          "следующий отчёт: воронка, источники, зависшие, полнота, сегменты, ABC/XYZ"),
        l.pick("section", "раздел")),
      bind(
        [.backTab, .left, .char("h")], .previousSection,
        l.pick("previous report", "предыдущий отчёт")),
      bind(
        [.char("["), .char("]")], .previous,
        l.pick("previous / next period", "предыдущий / следующий период"),
        l.pick("period", "период")),
      bind([.char("t")], .today, l.pick("back to the current period", "текущий период")),
      bind(
        [.char("p")], .periodLength,
        l.pick(
          "period: month, quarter, year, all time", "период: месяц, квартал, год, всё время"),
        l.pick("length", "длина")),
      bind(
        [.char("o")], .scope, l.pick("owner: everyone / mine", "ответственный: все / мои"),
        l.pick("mine/all", "мои/все")),
      SharedKeys.nextPipeline(l),
      bind(
        [.char("e")], .edit,
        l.pick(
          "edit the pipeline: stages, lost reasons, lead sources",
          "настроить воронку: этапы, причины проигрыша, источники"),
        l.pick("stages", "этапы")),
      bind(
        [.char("b")], .bankQueue,
        l.pick(
          "bank payments waiting for a manager (the queue; the header counts them)",
          "банковские платежи, ждущие менеджера (очередь; их число — в заголовке)")),
      bind(
        [.char("s")], .reconcile,
        l.pick(
          "reconcile with accounting: a bank statement (and acts from 1C)",
          "сверка с учётом: выписка банка (и акты из 1С)")),
      bind(
        [.enter], .open,
        l.pick(
          "completeness: open the selected client's card; stuck deals: the selected deal",
          "полнота: открыть карточку выбранного клиента; зависшие: карточку сделки")),
    ] + SharedKeys.textView(l, byLine: true) + [SharedKeys.quit(l)]
  }
}
