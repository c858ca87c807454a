"""Thai help for every setting (the English help is declared with the setting itself).

Kept as data, not Qt translations: the help texts live in kiosk/infra/config.py,
which has no Qt, and are read dynamically. A test checks every key has one.
"""

from __future__ import annotations

from kiosk.domain.errors import Text

SECTIONS: dict[str, Text] = {
    "gateway": Text("Payment gateway", "ระบบชำระเงิน"),
    "store": Text("Shop and counter", "ร้านและเครื่อง"),
    "printer": Text("Receipts and printer", "ใบเสร็จและเครื่องพิมพ์"),
    "ui": Text("Screen and sound", "หน้าจอและเสียง"),
    "advanced": Text("Advanced", "ขั้นสูง"),
}

THAI_HELP: dict[str, str] = {
    "gateway.kind": "sandbox (เกตเวย์ทดสอบในเครื่อง) หรือ villa (Villa Payment API)",
    "gateway.base_url": "ที่อยู่ API หลัก สำหรับ sandbox: เว้นว่าง = เปิดในเครื่องนี้ ไม่เช่นนั้นใช้ตัวที่เปิดอยู่แล้ว",
    "gateway.auth_header": "วิธีส่ง ID token: raw หรือ 'Bearer <token>'",
    "gateway.connect_timeout_s": "วินาทีที่รอการเชื่อมต่อ",
    "gateway.read_timeout_s": "วินาทีที่รอคำตอบ",
    "gateway.total_timeout_s": (
        "เวลานานที่สุดของการเรียกเกตเวย์หนึ่งครั้ง (รวมการเข้าสู่ระบบ Cognito) แม้คำตอบจะมาช้า ๆ"
    ),
    "gateway.methods": "วิธีชำระเงินที่เปิดให้ใช้ คั่นด้วยจุลภาค: qr, wechat",
    "gateway.paths.create_order": "พาธสำหรับสร้างคำสั่งซื้อ KBank",
    "gateway.paths.qr": "พาธสำหรับขอคิวอาร์ เมื่อการสร้างคำสั่งซื้อไม่ได้ส่งมา",
    "gateway.paths.status": (
        "พาธตรวจสถานะ; {orderid} = เลขรายการของเครื่อง, {gateway_order_id} = เลขของเกตเวย์"
    ),
    "gateway.paths.cancel": "พาธยกเลิก (POST) เช่น /cancel/{orderid}; เว้นว่าง = ไม่รองรับ",
    "gateway.cognito.region": "ภูมิภาค AWS ของ Cognito user pool",
    "gateway.cognito.user_pool_id": "รหัส Cognito user pool",
    "gateway.cognito.client_id": "รหัส Cognito app client",
    "gateway.cognito.username": "ชื่อผู้ใช้ Cognito ของเครื่องนี้",
    "gateway.cognito.endpoint_url": "ที่อยู่ Cognito; เว้นว่าง = AWS ของภูมิภาคนั้น",
    "recovery.sweep_days": "จำนวนวันที่ยังตรวจสอบรายการที่ยังไม่ได้รับเงิน เผื่อเงินเข้าล่าช้า",
    "recovery.sweep_max_per_hour": "จำนวนครั้งสูงสุดต่อชั่วโมงที่ตรวจสอบเงินเข้าล่าช้ากับเกตเวย์",
    "recovery.sweep_every_s": "วินาทีระหว่างการตรวจสอบเงินเข้าล่าช้าแต่ละรอบ ขณะเครื่องทำงาน",
    "store.name": "ชื่อร้านที่แสดงต่อลูกค้าและบนใบเสร็จ",
    "store.store_id": "รหัสร้านที่ใช้ในเลขรายการ",
    "store.terminal_id": "รหัสเครื่อง (เคาน์เตอร์) ที่ใช้ในเลขรายการ",
    "store.max_amount": "ยอดเงินสูงสุดต่อหนึ่งรายการ (บาท)",
    "store.checkout_timeout_s": "วินาทีที่คิวอาร์แสดงบนจอก่อนรายการหมดเวลา",
    "store.expected_payee": "พร้อมเพย์หรือรหัสผู้รับชำระที่คิวอาร์ทุกอันต้องโอนเข้า; เว้นว่าง = ไม่ตรวจ",
    "poll.fast_s": "วินาทีระหว่างการตรวจสถานะในช่วงแรก",
    "poll.slow_s": "วินาทีระหว่างการตรวจสถานะในช่วงหลัง",
    "poll.fast_for_s": "ระยะเวลาที่ตรวจสถานะแบบถี่",
    "poll.max_backoff_s": "เวลารอนานที่สุดหลังเกิดข้อผิดพลาด",
    "sandbox.scenario": "ลูกค้าจำลองจะทำอะไร: pay จ่าย, decline ถูกปฏิเสธ, never ไม่จ่าย",
    "sandbox.pay_after_s": "วินาทีจนลูกค้าจำลองจ่ายเงิน",
    "sandbox.expire_s": "อายุคำสั่งซื้อของเกตเวย์ทดสอบเอง",
    "journal.backup_days": "จำนวนสำเนาบันทึกรายวันล่าสุดที่เก็บใน <data>/backups (14 ขึ้นไป)",
    "journal.backup_monthly_years": (
        "จำนวนปีที่เก็บสำเนาบันทึกล่าสุดของแต่ละเดือนใน <data>/backups (5 ปีขึ้นไป ตามประมวลรัษฎากร มาตรา 87/3)"
    ),
    "journal.check": "ตรวจสุขภาพบันทึกตอนเปิดเครื่อง: quick, full หรือ off",
    "batch.auto_close": (
        'ปิดรอบ (ออกรายงาน Z) เองทุกวันเวลานี้ เช่น "23:00" (เวลากรุงเทพฯ); เว้นว่าง = ปิดด้วยมือเท่านั้น'
    ),
    "ui.language": "ภาษาหน้าจอ: en หรือ th",
    "ui.sound": "เล่นเสียงเมื่อชำระแล้วและเมื่อไม่สำเร็จ",
    "ui.result_clear_s": "วินาทีก่อนหน้าผลลัพธ์จะหายไปเอง; 0 = ไม่หาย",
    "ui.kiosk_mode": "โหมดคีออสก์: เต็มจอ ไม่มีกรอบหน้าต่าง ปิดหรือออกต้องใช้ PIN ผู้จัดการ",
    "ui.hide_cursor": "ซ่อนตัวชี้เมาส์ (จอสัมผัส)",
    "manager.lock_after_s": (
        "วินาทีที่ไม่มีการแตะหรือกดปุ่ม ก่อนหน้าผู้จัดการจะล็อกเอง (กลับไปหน้าขาย ต้องใส่ PIN เพื่อเปิดอีกครั้ง)"
    ),
    "printer.kind": "เครื่องพิมพ์ใบเสร็จ: network, usb, serial, file, pdf หรือ none",
    "printer.host": "ที่อยู่เครื่องพิมพ์เครือข่าย (kind = network)",
    "printer.port": "พอร์ต TCP ของเครื่องพิมพ์เครือข่าย (ปกติ 9100)",
    "printer.device": "usb: VENDOR:PRODUCT; serial: พอร์ต; file: ไฟล์อุปกรณ์; pdf: โฟลเดอร์ผลลัพธ์",
    "printer.baudrate": "ความเร็วสายอนุกรม (kind = serial)",
    "printer.paper_mm": "ความกว้างกระดาษ (มม.): 58 หรือ 80",
    "printer.width_px": "ความกว้างที่พิมพ์ได้ (จุด); 0 = 384 สำหรับ 58 มม., 576 สำหรับ 80 มม.",
    "printer.mode": "raster: พิมพ์เป็นภาพ (ภาษาไทยถูกต้องทุกเครื่อง); text: ตัวอักษร CP874",
    "printer.codepage": "หมายเลข ESC t ของโค้ดเพจภาษาไทย (CP874) สำหรับ mode = text",
    "printer.auto_print": "พิมพ์ใบเสร็จเมื่อชำระแล้ว: always ทุกครั้ง, ask ถามแคชเชียร์, never ไม่พิมพ์",
    "receipt.address": "ที่อยู่ร้านใต้ชื่อร้าน (ภาษาไทยได้)",
    "receipt.tax_id": "เลขประจำตัวผู้เสียภาษี 13 หลัก; เว้นว่าง = ไม่แสดง",
    "receipt.footer": "ข้อความท้ายใบเสร็จ",
    "receipt.show_qr": "พิมพ์คิวอาร์โค้ดของเลขรายการ",
    "receipt.branch": "สาขาที่พิมพ์ใต้ชื่อร้าน: 00000 = สำนักงานใหญ่; เว้นว่าง = ไม่แสดง",
    "receipt.merchant_copy": "พิมพ์สำเนาร้านค้าของสลิปการชำระเงินด้วย (ต่อจากสำเนาลูกค้า)",
    "receipt.tax_invoice": (
        "none: สลิปการชำระเงิน (ใช้ค่านี้เมื่อเครื่องขายหลักออกใบกำกับภาษีของบิลอยู่แล้ว);"
        " abb: เครื่องนี้เป็นจุดขายและพิมพ์ใบกำกับภาษีอย่างย่อ"
        " (ต้องได้รับอนุมัติใช้เครื่อง POS จากกรมสรรพากร แบบ ภ.พ.06 และใส่ pos_id กับ tax_id)"
    ),
    "receipt.pos_id": "หมายเลขเครื่อง POS ที่กรมสรรพากรกำหนด พิมพ์บนใบกำกับภาษีทุกฉบับ",
    "receipt.vat_rate": "อัตราภาษีมูลค่าเพิ่ม (ร้อยละ) เก็บไว้กับใบกำกับภาษีแต่ละฉบับเมื่อออก",
    "receipt.item_description": "รายการสินค้าบนใบกำกับภาษี เมื่อการขายไม่มีเลขที่บิลอ้างอิง",
}


def section_of(key: str) -> str:
    """Which tab a setting sits on."""
    top = key.split(".")[0]
    if top in ("gateway",):
        return "gateway"
    if top == "store":
        return "store"
    if top in ("printer", "receipt"):
        return "printer"
    if top in ("ui", "manager"):  # the manager screen's lock is a screen setting
        return "ui"
    return "advanced"


def help_text(key: str, english: str, language: str) -> str:
    return THAI_HELP.get(key, english) if language == "th" else english
