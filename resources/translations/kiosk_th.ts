<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="th_TH">
<context>
    <name>AboutBox</name>
    <message>
        <location filename="../../kiosk/ui/about.py" line="118"/>
        <source>About this kiosk</source>
        <translation>เกี่ยวกับเครื่องนี้</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="119"/>
        <source>QR payment kiosk</source>
        <translation>เครื่องรับชำระเงินคิวอาร์</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="121"/>
        <source>Version</source>
        <translation>เวอร์ชัน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="122"/>
        <source>Settings file</source>
        <translation>ไฟล์ตั้งค่า</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="124"/>
        <source>Data folder</source>
        <translation>โฟลเดอร์ข้อมูล</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="125"/>
        <source>Logs</source>
        <translation>บันทึกการทำงาน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="126"/>
        <source>Payment gateway</source>
        <translation>ระบบชำระเงิน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="127"/>
        <source>Kiosk mode</source>
        <translation>โหมดคีออสก์</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="132"/>
        <source>In use.</source>
        <translation>ใช้งานอยู่</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="134"/>
        <source>Not there yet: the built-in defaults are in use.</source>
        <translation>ยังไม่มีไฟล์: ใช้ค่าเริ่มต้นของโปรแกรม</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="137"/>
        <source>Sandbox (test payments only)</source>
        <translation>แซนด์บ็อกซ์ (ทดสอบการชำระเงินเท่านั้น)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="139"/>
        <source>Villa Payment API</source>
        <translation>Villa Payment API</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="142"/>
        <source>On: closing needs the manager PIN</source>
        <translation>เปิด: ต้องใช้ PIN ผู้จัดการเพื่อปิดโปรแกรม</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="142"/>
        <source>Off</source>
        <translation>ปิด</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="144"/>
        <source>Close the kiosk…</source>
        <translation>ปิดโปรแกรม…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/about.py" line="145"/>
        <source>Close</source>
        <translation>ปิดหน้าต่าง</translation>
    </message>
</context>
<context>
    <name>AlreadyRunningBox</name>
    <message>
        <location filename="../../kiosk/ui/already_running.py" line="39"/>
        <source>QR payment kiosk</source>
        <translation>เครื่องรับชำระเงินคิวอาร์</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/already_running.py" line="42"/>
        <source>Only one kiosk may use this data folder at a time (%1).</source>
        <translation>ใช้โฟลเดอร์ข้อมูลนี้ได้ครั้งละหนึ่งโปรแกรมเท่านั้น (%1)</translation>
    </message>
</context>
<context>
    <name>Controller</name>
    <message>
        <location filename="../../kiosk/ui/controller.py" line="102"/>
        <source>Payment received for order %1 (%2) — found after a restart.</source>
        <translation>ได้รับชำระเงินสำหรับรายการ %1 (%2) แล้ว — ตรวจพบหลังเปิดเครื่องใหม่</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/controller.py" line="169"/>
        <source>Late payment received: order %1 (%2) is PAID.</source>
        <translation>ได้รับเงินล่าช้า: รายการ %1 (%2) ชำระแล้ว</translation>
    </message>
</context>
<context>
    <name>KioskGuard</name>
    <message>
        <location filename="../../kiosk/ui/kiosk_mode.py" line="110"/>
        <source>Kiosk mode: the manager PIN cannot be read (no keyring). The kiosk cannot be closed from the screen.</source>
        <translation>โหมดคีออสก์: อ่าน PIN ผู้จัดการไม่ได้ (ไม่มีพวงกุญแจ) จึงปิดโปรแกรมจากหน้าจอไม่ได้</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/kiosk_mode.py" line="115"/>
        <source>Kiosk mode: no manager PIN is set up, so the kiosk cannot be closed from the screen. Set one with: kiosk secrets set MANAGER_PIN_HASH</source>
        <translation>โหมดคีออสก์: ยังไม่ได้ตั้ง PIN ผู้จัดการ จึงปิดโปรแกรมจากหน้าจอไม่ได้ ตั้ง PIN ด้วยคำสั่ง: kiosk secrets set MANAGER_PIN_HASH</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="96"/>
        <source>QR payment kiosk</source>
        <translation>เครื่องรับชำระเงินคิวอาร์</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <location filename="../../kiosk/ui/pin_pad.py" line="225"/>
        <source>Checking…</source>
        <translation>กำลังตรวจสอบ…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin_pad.py" line="231"/>
        <source>Enter the 6-digit manager PIN to close the kiosk.</source>
        <translation>ใส่ PIN ผู้จัดการ 6 หลักเพื่อปิดโปรแกรม</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin_pad.py" line="256"/>
        <location filename="../../kiosk/ui/pin_pad.py" line="257"/>
        <source>Manager PIN</source>
        <translation>PIN ผู้จัดการ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin_pad.py" line="258"/>
        <source>Clear</source>
        <translation>ล้าง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin_pad.py" line="259"/>
        <source>Cancel</source>
        <translation>ยกเลิก</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin_pad.py" line="260"/>
        <source>OK</source>
        <translation>ตกลง</translation>
    </message>
</context>
<context>
    <name>QrScreen</name>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="137"/>
        <location filename="../../kiosk/ui/qr_screen.py" line="238"/>
        <source>Order %1</source>
        <translation>รายการ %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="191"/>
        <source>Finishing…</source>
        <translation>กำลังจบรายการ…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="193"/>
        <source>Connection problem — still checking</source>
        <translation>การเชื่อมต่อมีปัญหา — ยังคงตรวจสอบอยู่</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="195"/>
        <source>Checking…</source>
        <translation>กำลังตรวจสอบ…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="197"/>
        <source>Time is up — checking one last time…</source>
        <translation>หมดเวลาแล้ว — กำลังตรวจสอบครั้งสุดท้าย…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="199"/>
        <source>Waiting for payment…</source>
        <translation>รอการชำระเงิน…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="227"/>
        <source>Scan to pay</source>
        <translation>สแกนเพื่อชำระเงิน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="228"/>
        <source>Cancel sale</source>
        <translation>ยกเลิกรายการ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="229"/>
        <source>Cancel this sale? The QR code will stop working.</source>
        <translation>ยกเลิกรายการนี้หรือไม่? คิวอาร์โค้ดจะใช้ไม่ได้อีก</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="230"/>
        <source>Yes, cancel</source>
        <translation>ใช่ ยกเลิก</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="231"/>
        <source>Keep waiting</source>
        <translation>รอต่อ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="234"/>
        <source>Thai QR (PromptPay)</source>
        <translation>ไทยคิวอาร์ (พร้อมเพย์)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/qr_screen.py" line="236"/>
        <source>WeChat Pay</source>
        <translation>วีแชทเพย์</translation>
    </message>
</context>
<context>
    <name>ResultScreen</name>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="131"/>
        <source>New sale</source>
        <translation>รายการใหม่</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="136"/>
        <source>Paid</source>
        <translation>ชำระแล้ว</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="137"/>
        <source>Payment failed</source>
        <translation>ชำระเงินไม่สำเร็จ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="138"/>
        <source>QR code expired</source>
        <translation>คิวอาร์โค้ดหมดอายุ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="139"/>
        <source>Sale cancelled</source>
        <translation>ยกเลิกรายการแล้ว</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="145"/>
        <source>Late payment: the money arrived after the sale had ended.</source>
        <translation>ชำระล่าช้า: เงินเข้าหลังจากรายการสิ้นสุดแล้ว</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="148"/>
        <source>The customer&apos;s bank declined the payment.</source>
        <translation>ธนาคารของลูกค้าปฏิเสธการชำระเงิน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="152"/>
        <source>The payment could not be completed.</source>
        <translation>ไม่สามารถชำระเงินให้เสร็จสิ้นได้</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="154"/>
        <source>No payment arrived in time. No money was taken.</source>
        <translation>ไม่มีการชำระเงินภายในเวลาที่กำหนด ไม่มีการตัดเงิน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/result_screen.py" line="156"/>
        <source>No money was taken.</source>
        <translation>ไม่มีการตัดเงิน</translation>
    </message>
</context>
<context>
    <name>SaleScreen</name>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="232"/>
        <source>Creating the payment…</source>
        <translation>กำลังสร้างรายการชำระเงิน…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="234"/>
        <source>Type the amount, choose how to pay, then press Charge.</source>
        <translation>ใส่จำนวนเงิน เลือกวิธีชำระ แล้วกด เรียกเก็บเงิน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="274"/>
        <source>ภาษาไทย</source>
        <translation>English</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="275"/>
        <source>About</source>
        <translation>เกี่ยวกับ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="276"/>
        <source>Thai QR (PromptPay)</source>
        <translation>ไทยคิวอาร์ (พร้อมเพย์)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="277"/>
        <source>WeChat Pay</source>
        <translation>วีแชทเพย์</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="278"/>
        <source>Charge</source>
        <translation>เรียกเก็บเงิน</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/sale_screen.py" line="279"/>
        <source>Clear</source>
        <translation>ล้าง</translation>
    </message>
</context>
<context>
    <name>SandboxBanner</name>
    <message>
        <location filename="../../kiosk/ui/banners.py" line="54"/>
        <source>SANDBOX — test payments only, no real money</source>
        <translation>โหมดทดสอบ (SANDBOX) — ไม่ใช่เงินจริง</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/banners.py" line="55"/>
        <source>Customer will:</source>
        <translation>ลูกค้าจะ:</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/banners.py" line="57"/>
        <source>pay after a few seconds</source>
        <translation>ชำระภายในไม่กี่วินาที</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/banners.py" line="58"/>
        <source>be declined</source>
        <translation>ถูกปฏิเสธ</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/banners.py" line="59"/>
        <source>never pay</source>
        <translation>ไม่ชำระเลย</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/banners.py" line="63"/>
        <source>Simulate customer payment</source>
        <translation>จำลองการชำระเงินของลูกค้า</translation>
    </message>
</context>
</TS>
