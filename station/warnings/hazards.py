"""Hazard types and risk levels of QĐ 18/2021/QĐ-TTg, with the colour each level is shown in."""

from __future__ import annotations

from enum import StrEnum


class Hazard(StrEnum):
    STORM = "storm"
    TROPICAL_DEPRESSION = "tropical_depression"
    HEAVY_RAIN = "heavy_rain"
    FLOOD = "flood"
    FLASH_FLOOD = "flash_flood"
    LANDSLIDE = "landslide"
    THUNDERSTORM = "thunderstorm"
    DROUGHT = "drought"
    SALINE_INTRUSION = "saline_intrusion"
    HEAT = "heat"
    COLD = "cold"
    TSUNAMI = "tsunami"
    EARTHQUAKE = "earthquake"


# (Vietnamese, English) names; the Vietnamese one is also what is read on air.
HAZARD_NAMES: dict[str, tuple[str, str]] = {
    Hazard.STORM: ("Bão", "Storm"),
    Hazard.TROPICAL_DEPRESSION: ("Áp thấp nhiệt đới", "Tropical depression"),
    Hazard.HEAVY_RAIN: ("Mưa lớn", "Heavy rain"),
    Hazard.FLOOD: ("Lũ, ngập lụt", "Flood"),
    Hazard.FLASH_FLOOD: ("Lũ quét", "Flash flood"),
    Hazard.LANDSLIDE: ("Sạt lở đất", "Landslide"),
    Hazard.THUNDERSTORM: ("Lốc, sét, mưa đá", "Thunderstorm, lightning, hail"),
    Hazard.DROUGHT: ("Hạn hán", "Drought"),
    Hazard.SALINE_INTRUSION: ("Xâm nhập mặn", "Saline intrusion"),
    Hazard.HEAT: ("Nắng nóng", "Heat wave"),
    Hazard.COLD: ("Rét hại, sương muối", "Severe cold, frost"),
    Hazard.TSUNAMI: ("Sóng thần", "Tsunami"),
    Hazard.EARTHQUAKE: ("Động đất", "Earthquake"),
}

# What residents should do, read after the facts (the leader may rewrite it).
ADVICE: dict[str, str] = {
    Hazard.STORM: "Đề nghị bà con chằng chống nhà cửa, thu hoạch sớm hoa màu, tàu thuyền vào nơi tránh trú an toàn, "
                  "người dân ở nhà yếu và vùng trũng di chuyển đến nơi an toàn.",
    Hazard.TROPICAL_DEPRESSION: "Đề nghị bà con chằng chống nhà cửa, không ra khơi, theo dõi tin tiếp theo.",
    Hazard.HEAVY_RAIN: "Đề nghị bà con không qua ngầm, tràn, suối khi nước dâng; chuẩn bị sẵn lương thực, nước uống.",
    Hazard.FLOOD: "Đề nghị bà con kê cao đồ đạc, di chuyển người già, trẻ em đến nơi cao ráo, "
                  "không qua vùng nước chảy xiết.",
    Hazard.FLASH_FLOOD: "Đề nghị bà con ven suối và chân đồi di chuyển ngay đến nơi an toàn, không ở lại nhà.",
    Hazard.LANDSLIDE: "Đề nghị bà con ở gần sườn đồi, taluy di chuyển ngay đến nơi an toàn.",
    Hazard.THUNDERSTORM: "Đề nghị bà con không trú dưới gốc cây to, cột điện; hạn chế ra đồng khi có dông.",
    Hazard.DROUGHT: "Đề nghị bà con tiết kiệm nước sinh hoạt và nước tưới, theo lịch lấy nước của xã.",
    Hazard.SALINE_INTRUSION: "Đề nghị bà con không lấy nước mặn vào ruộng, trữ nước ngọt cho sinh hoạt.",
    Hazard.HEAT: "Đề nghị bà con hạn chế làm việc ngoài trời từ 11 giờ đến 16 giờ, uống đủ nước.",
    Hazard.COLD: "Đề nghị bà con giữ ấm cho người già, trẻ nhỏ; che chắn chuồng trại cho gia súc.",
    Hazard.TSUNAMI: "Đề nghị bà con vùng ven biển di chuyển ngay lên vùng đất cao, xa bờ biển.",
    Hazard.EARTHQUAKE: "Đề nghị bà con ra khỏi nhà đến nơi trống trải, tránh xa tường, cột điện.",
}

LEVELS = (1, 2, 3, 4, 5)
# QĐ 18/2021: level 1 light blue, 2 light yellow, 3 orange, 4 red, 5 purple (CSS classes level-1 … level-5).
LEVEL_COLOURS: dict[int, tuple[str, str, str]] = {
    1: ("xanh nhạt", "light blue", "#9fd8f5"),
    2: ("vàng nhạt", "light yellow", "#fff3a0"),
    3: ("da cam", "orange", "#ff9a2e"),
    4: ("đỏ", "red", "#d7261e"),
    5: ("tím", "purple", "#7b2c8f"),
}


def hazard_name(hazard: str, language: str = "vi") -> str:
    names = HAZARD_NAMES.get(hazard, ("Thiên tai", "Hazard"))
    return names[1] if language == "en" else names[0]
