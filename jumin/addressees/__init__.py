"""住登外者宛名番号管理 (共通機能 §2.3): one 宛名番号 space for residents and non-residents (issue #17)."""
