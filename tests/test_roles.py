"""Roles (assignees / coordinators / report_to) on real phrases, and agreement with the seed gold (SPEC §3)."""
import json
import time
from pathlib import Path

import pytest

from extract.agencies import AgencyContext, parse_agency
from extract.roles import Roles, frame_agents, roles_in

GOLD = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "gold" / "seeds.jsonl"
if not GOLD.exists():
    GOLD = Path("/work/shared/corpus/gold/seeds.jsonl")


def names(xs):
    return [a.full_name for a in xs]


# (text, assignees or None when not addressed, coordinators, report_to)
CASES = [
    ("UBND tỉnh Hải Dương yêu cầu các sở, ban, ngành chủ trì, phối hợp với Văn phòng UBND tỉnh và các cơ quan có liên quan khẩn trương hoàn thành việc thống kê",
     ["các sở, ban, ngành"], ["Văn phòng Ủy ban nhân dân tỉnh", "các cơ quan có liên quan"], []),
    ("Đẩy nhanh các nội dung, công việc đã được Ban Thường vụ Tỉnh ủy kết luận, chỉ đạo tại Thông báo số 924-TB/TU và báo cáo UBND tỉnh.",
     None, [], ["Ủy ban nhân dân tỉnh"]),
    ("Sở Nội vụ tham mưu UBND tỉnh Hải Dương chỉ đạo tăng cường công tác kiểm tra hoạt động công vụ",
     ["Sở Nội vụ"], [], ["Ủy ban nhân dân tỉnh Hải Dương"]),
    ("Văn phòng UBND tỉnh thường xuyên theo dõi, đôn đốc, hướng dẫn các cơ quan, đơn vị, địa phương nghiêm túc thực hiện công văn này",
     ["Văn phòng Ủy ban nhân dân tỉnh"], [], []),
    ("Không trình những công việc thuộc thẩm quyền của cơ quan mình lên UBND tỉnh, Chủ tịch UBND tỉnh hoặc cơ quan, đơn vị khác (trừ trường hợp pháp luật có quy định khác)",
     None, [], []),
    ("Thủ trưởng các cơ quan, đơn vị được lấy ý kiến có trách nhiệm trả lời bằng văn bản về những nội dung thuộc phạm vi",
     ["Thủ trưởng các cơ quan, đơn vị được lấy ý kiến"], [], []),
    ("Khi tham mưu UBND thành phố, Chủ tịch UBND thành phố ban hành các văn bản chỉ đạo, điều hành cần xác định cụ thể thời hạn hoàn thành",
     None, [], ["Ủy ban nhân dân thành phố", "Chủ tịch Ủy ban nhân dân thành phố"]),
    ("UBND thành phố giao Văn phòng UBND thành phố: Khi rà soát, trình Chủ tịch UBND thành phố, các Phó Chủ tịch UBND thành phố ban hành các văn bản chỉ đạo, điều hành, văn bản giao nhiệm vụ cho các cơ quan, đơn vị, phải xác định rõ địa chỉ",
     ["Văn phòng Ủy ban nhân dân thành phố"], [], ["Chủ tịch Ủy ban nhân dân thành phố", "các Phó Chủ tịch Ủy ban nhân dân thành phố"]),
    ("Văn phòng UBND thành phố là cơ quan đầu mối giúp UBND thành phố, Chủ tịch UBND thành phố đôn đốc việc thực hiện nhiệm vụ giao; chủ động, thường xuyên đánh giá tình hình thực hiện nhiệm vụ, công việc được giao của các sở, ban, ngành thành phố và UBND các quận, huyện, thị xã, kịp thời báo cáo UBND thành phố, Chủ tịch UBND thành phố.",
     ["Văn phòng Ủy ban nhân dân thành phố"], [], ["Ủy ban nhân dân thành phố", "Chủ tịch Ủy ban nhân dân thành phố"]),
    ("UBND thành phố giao Sở Nội vụ là cơ quan đầu mối giúp UBND thành phố, Chủ tịch UBND thành phố tổ chức các đoàn thanh tra, kiểm tra công vụ",
     ["Sở Nội vụ"], [], []),
    ("Kịp thời tham mưu, đề xuất Chủ tịch UBND thành phố chấn chỉnh, kiểm điểm trách nhiệm; định kỳ báo cáo UBND thành phố kết quả thực hiện trước ngày 25 hằng tháng.",
     None, [], ["Chủ tịch Ủy ban nhân dân thành phố", "Ủy ban nhân dân thành phố"]),
    ("Theo đó, Giám đốc, Thủ trưởng các sở, ban, ngành, cơ quan, đơn vị trực thuộc, chủ tịch UBND các quận, huyện, thị xã cần phân công rõ người, rõ việc, chịu trách nhiệm cá nhân trước Thành ủy, UBND thành phố về việc đảm bảo hoàn thành",
     ["Giám đốc, Thủ trưởng các sở, ban, ngành, cơ quan, đơn vị trực thuộc", "Chủ tịch Ủy ban nhân dân các quận, huyện, thị xã"], [], []),
    ("Chủ động theo dõi, nắm bắt và đón đầu để tham mưu, đề xuất Tỉnh ủy, UBND tỉnh kịp thời triển khai các chủ trương; tránh tình trạng chờ UBND tỉnh chỉ đạo, giao nhiệm vụ mới tổ chức triển khai thực hiện.",
     None, [], ["Tỉnh ủy", "Ủy ban nhân dân tỉnh"]),
    ("Chỉ thị 01/CT-UBND yêu cầu người đứng đầu các cơ quan căn cứ vào chức năng, nhiệm vụ của cơ quan, đơn vị, địa phương để chủ động thực hiện công việc thuộc thẩm quyền",
     ["Người đứng đầu các cơ quan"], [], []),
    ("Đồng thời, người đứng đầu cơ quan, đơn vị, địa phương phải thực hiện nghiêm quy chế phát ngôn",
     ["Người đứng đầu cơ quan, đơn vị, địa phương"], [], []),
    ("Tiếp tục nghiên cứu, tham mưu UBND tỉnh đẩy mạnh thực hiện phân cấp quản lý nhà nước theo tinh thần Nghị quyết số 21/NQ-CP ngày 21/3/2016 của Chính phủ",
     None, [], ["Ủy ban nhân dân tỉnh"]),
    ("Đề xuất Ủy ban nhân dân tỉnh giải quyết các vấn đề thực tiễn phù hợp với chủ trương", None, [], ["Ủy ban nhân dân tỉnh"]),
    ("Đối với các nội dung được Ủy ban nhân dân tỉnh, Chủ tịch Ủy ban nhân dân tỉnh giao cho Ủy viên Ủy ban nhân dân tỉnh là Thủ trưởng các cơ quan chuyên môn thì Người đứng đầu cơ quan cơ quan chuyên môn phải trực tiếp chỉ đạo và ký các văn bản",
     ["Người đứng đầu cơ quan chuyên môn"], [], []),
    ("Đối với hồ sơ trình yêu cầu phải có sự tham gia ý kiến của nhiều cơ quan, đơn vị thì cơ quan được giao chủ trì phải nêu rõ ý kiến của các cơ quan, đơn vị trong văn bản trình và đề xuất, kiến nghị cụ thể",
     ["cơ quan được giao chủ trì"], [], []),
    ("Tổ kiểm tra của Chủ tịch Ủy ban nhân dân tỉnh: Tăng cường theo dõi, đôn đốc việc thực hiện các nhiệm vụ của Ủy ban nhân dân tỉnh, Chủ tịch, các Phó Chủ tịch Ủy ban nhân dân tỉnh giao cho các cơ quan, đơn vị; kịp thời báo cáo, trình cấp có thẩm quyền xem xét chấn chỉnh",
     ["Tổ kiểm tra của Chủ tịch Ủy ban nhân dân tỉnh"], [], ["cấp có thẩm quyền"]),
    ("Chịu trách nhiệm trực tiếp và toàn diện trước Ủy ban nhân dân tỉnh, Chủ tịch Ủy ban nhân dân tỉnh và trước pháp luật đối với các vấn đề thuộc thẩm quyền",
     None, [], []),
    ("Sở Nội vụ khẩn trương tham mưu Ủy ban nhân dân tỉnh những giải pháp cụ thể nhằm nâng cao các chỉ số cải cách hành chính",
     ["Sở Nội vụ"], [], ["Ủy ban nhân dân tỉnh"]),
    ("Văn phòng Ủy ban nhân dân tỉnh thường xuyên theo dõi, đôn đốc, kiểm tra và báo cáo Chủ tịch Ủy ban nhân dân tỉnh đối với các sở, ban, ngành, địa phương không thực hiện nghiêm Quy chế làm việc",
     ["Văn phòng Ủy ban nhân dân tỉnh"], [], ["Chủ tịch Ủy ban nhân dân tỉnh"]),
    ("Chịu trách nhiệm trong kiểm tra việc thực hiện chế độ trách nhiệm của Thủ trưởng các đơn vị trực thuộc, Chủ tịch Ủy ban nhân dân các xã, phường, thị trấn khi xử lý các mối quan hệ với người dân.",
     None, [], []),
    ("Giao Sở Tài nguyên và Môi trường chủ trì, phối hợp các đơn vị, địa phương liên quan nghiên cứu, đề xuất UBND tỉnh xem xét theo quy định",
     ["Sở Tài nguyên và Môi trường"], ["các đơn vị, địa phương liên quan"], ["Ủy ban nhân dân tỉnh"]),
    ("Giao Bộ Tài nguyên và Môi trường chủ trì, phối hợp với các cơ quan liên quan nghiên cứu, xây dựng Báo cáo sơ kết 5 năm thực hiện Nghị quyết số 24-NQ/TW, trình Thủ tướng Chính phủ trước ngày 15 tháng 6 năm 2018",
     ["Bộ Tài nguyên và Môi trường"], ["các cơ quan liên quan"], ["Thủ tướng Chính phủ"]),
    ("Giao Sở Kế hoạch và Đầu tư chủ trì phối hợp với các đơn vị liên quan tổng hợp chung báo cáo",
     ["Sở Kế hoạch và Đầu tư"], ["các đơn vị liên quan"], []),
    ("Yêu cầu gửi báo cáo về Sở Kế hoạch và Đầu tư trước ngày 23/5/2019.", None, [], ["Sở Kế hoạch và Đầu tư"]),
    ("Giao UBND huyện Triệu Phong chủ trì, phối hợp với Sở Tài nguyên và Môi trường, Sở Giao thông vận tải và các đơn vị liên quan kiểm tra, đánh giá hiện trạng",
     ["Ủy ban nhân dân huyện Triệu Phong"], ["Sở Tài nguyên và Môi trường", "Sở Giao thông vận tải", "các đơn vị liên quan"], []),
    ("Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với Liên đoàn Lao động tỉnh",
     ["Sở Lao động - Thương binh và Xã hội"], ["Liên đoàn Lao động tỉnh"], []),
    ("Ủy ban nhân dân các huyện, thành phố chủ trì, phối hợp với Ban Quản lý Khu Kinh tế tỉnh và các đơn vị có liên quan",
     ["Ủy ban nhân dân các huyện, thành phố"], ["Ban Quản lý Khu kinh tế tỉnh", "các đơn vị có liên quan"], []),
    ("Bộ Văn hoá-Thông tin chủ trì, phối hợp với Bộ Ngoại Giao xem xét, xử lý và báo cáo Thủ tướng Chính phủ trước ngày 20 tháng 5 năm 2003",
     ["Bộ Văn hóa - Thông tin"], ["Bộ Ngoại giao"], ["Thủ tướng Chính phủ"]),
    ("Về nội dung nêu trên, Thủ tướng Chính phủ giao Bộ Kế hoạch và Đầu tư theo chức năng, nhiệm vụ được giao, nghiên cứu, có giải pháp phù hợp nhằm khắc phục tình trạng nêu trên; trường hợp vượt thẩm quyền, báo cáo Thủ tướng Chính phủ.",
     ["Bộ Kế hoạch và Đầu tư"], [], ["Thủ tướng Chính phủ"]),
    ("Bộ Y tế đề nghị Chủ tịch Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương chỉ đạo Giám đốc Sở Y tế, Giám đốc các Sở liên quan thực hiện cấp chứng chỉ hành nghề",
     ["Chủ tịch Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương"], [], []),
    ("Chỉ đạo Sở Y tế chủ trì phối hợp với các sở, ngành liên quan tổ chức quán triệt phổ biến kiến thức pháp luật về khám bệnh, chữa bệnh",
     ["Sở Y tế"], ["các sở, ngành liên quan"], []),
    ("Chỉ đạo Sở Tư pháp kết hợp với Công an tỉnh và Sở Y tế thực hiện Công văn số 3571/BTP-TTLLTPQG ngày 13/5/2013 của Bộ Tư pháp",
     ["Sở Tư pháp"], ["Công an tỉnh", "Sở Y tế"], []),
    ("Đề nghị Thủ trưởng các đơn vị chủ trì, phối hợp với BHXH tỉnh, thành phố và các cơ quan, đơn vị có liên quan:",
     ["Thủ trưởng các đơn vị"], ["Bảo hiểm xã hội tỉnh, thành phố", "các cơ quan, đơn vị có liên quan"], []),
    ("Để thống nhất trong tổ chức thực hiện, Bảo hiểm xã hội (BHXH) Việt Nam chuyển Công văn số 627/BYT-BH đề nghị BHXH các tỉnh nghiên cứu, phối hợp cùng các cơ sở khám, chữa bệnh (KCB) BHYT triển khai thực hiện",
     ["Bảo hiểm xã hội các tỉnh"], [], []),
    ("Giao Sở Tài nguyên và Môi trường chủ trì, phối hợp với UBND huyện Gio Linh, các đơn vị địa phương liên quan rà soát, đề xuất UBND tỉnh xem xét theo quy định của pháp luật",
     ["Sở Tài nguyên và Môi trường"], ["Ủy ban nhân dân huyện Gio Linh", "các đơn vị địa phương liên quan"], ["Ủy ban nhân dân tỉnh"]),
    ("Đồng chí Bí thư Tỉnh ủy Bến Tre chỉ đạo việc triển khai thực hiện nghiêm Công điện số 1099/CĐ-TTg ngày 22 tháng 8 năm 2021 của Thủ tướng Chính phủ",
     ["Bí thư Tỉnh ủy Bến Tre"], [], []),
    # X chỉ đạo Z -> X (SPEC §3); the issuer directing addresses Z
    ("Sở Thông tin và Truyền thông chỉ đạo các cơ quan báo chí tăng cường tuyên truyền về an toàn thực phẩm",
     ["Sở Thông tin và Truyền thông"], [], []),
    ("Giao Sở Kế hoạch và Đầu tư chủ trì, phối hợp UBND huyện Vĩnh Linh và các Sở, ngành liên quan nghiên cứu nội dung đề xuất của Công ty TNHH MDF Đức Hiền",
     ["Sở Kế hoạch và Đầu tư"], ["Ủy ban nhân dân huyện Vĩnh Linh", "các Sở, ngành liên quan"], []),
    ("đề nghị các đơn vị, địa phương có báo cáo về Sở Lao động - Thương binh và Xã hội để tổng hợp đề xuất Ủy ban nhân dân tỉnh xem xét, điều chỉnh phù hợp",
     ["các đơn vị, địa phương"], [], ["Sở Lao động - Thương binh và Xã hội", "Ủy ban nhân dân tỉnh"]),
    # a title of address between the cue and the agency ("đồng chí", "Đ/c", "ông")
    ("Bộ Y tế đề nghị đồng chí Chủ tịch UBND tỉnh, thành phố tiếp tục chỉ đạo thực hiện một số nội dung sau:",
     ["Chủ tịch Ủy ban nhân dân tỉnh, thành phố"], [], []),
    ("Đề nghị Đ/c Giám đốc Sở Y tế chỉ đạo kiểm tra và báo cáo đồng chí Chủ tịch UBND tỉnh trước ngày 15/5.",
     ["Giám đốc Sở Y tế"], [], ["Chủ tịch Ủy ban nhân dân tỉnh"]),
    ("Sở Tài chính chủ trì, phối hợp với ông Giám đốc Sở Xây dựng kiểm tra hồ sơ.",
     ["Sở Tài chính"], ["Giám đốc Sở Xây dựng"], []),
    # "ủy quyền cho X" delegates the duty to X; the one who delegates does not act
    ("UBND tỉnh ủy quyền cho Giám đốc Sở Tài chính ký hợp đồng thuê trụ sở và báo cáo kết quả.",
     ["Giám đốc Sở Tài chính"], [], []),
    # the issuer's own deed before the frame verb; an agency that acts itself directs its objects
    ("UBND tỉnh chuyển đơn, yêu cầu Chủ tịch UBND huyện Lập Thạch khẩn trương giải quyết dứt điểm.",
     ["Chủ tịch Ủy ban nhân dân huyện Lập Thạch"], [], []),
    ("Sở Y tế chủ trì kiểm tra, yêu cầu các cơ sở khám bệnh, chữa bệnh khắc phục ngay.", ["Sở Y tế"], [], []),
    # a time adverbial before the subject ("Định kỳ hằng quý, X ...")
    ("Định kỳ hằng quý, Sở Y tế tổng hợp tình hình, báo cáo UBND tỉnh.", ["Sở Y tế"], [], ["Ủy ban nhân dân tỉnh"]),
    ("Hằng năm, Sở Tài chính tổng hợp, báo cáo UBND tỉnh.", ["Sở Tài chính"], [], ["Ủy ban nhân dân tỉnh"]),
    # a line wrapped inside a clause (by hand or by a PDF) does not end it
    ("Giao Sở Lao động - Thương binh và Xã hội chủ trì, phối\nhợp với các cơ quan, đơn vị liên quan tổ chức\ntriển khai thực hiện.",
     ["Sở Lao động - Thương binh và Xã hội"], ["các cơ quan, đơn vị liên quan"], []),
    # "báo cáo ... với X"; the standing body of a committee ("Thường trực UBND huyện")
    ("Chủ tịch UBND huyện khẩn trương giải quyết, báo cáo kết quả với UBND tỉnh trước ngày 30/7.",
     ["Chủ tịch Ủy ban nhân dân huyện"], [], ["Ủy ban nhân dân tỉnh"]),
    ("Có khó khăn, vướng mắc, kịp thời báo cáo Thường trực Ủy ban nhân dân huyện xem xét, chỉ đạo.",
     None, [], ["Thường trực Ủy ban nhân dân huyện"]),
    # what an agency commits itself to ("sẽ") is its own task (corpus 045 4.b)
    ("Định kỳ hoặc đột xuất, Bộ Y tế sẽ phối hợp với các cơ quan, đơn vị có liên quan tổ chức kiểm tra.",
     ["Bộ Y tế"], ["các cơ quan, đơn vị có liên quan"], []),
    ("Sở Công Thương chủ trì, cùng Sở Tài chính, Cục Thuế tỉnh kiểm tra thị trường.",
     ["Sở Công Thương"], ["Sở Tài chính", "Cục Thuế tỉnh"], []),
    # the receiver's onward report is not the assignee's (seeds convention 5, corpus_d 212)
    ("Công an tỉnh báo cáo kết quả về Văn phòng UBND tỉnh để tổng hợp, báo cáo Chủ tịch UBND tỉnh.",
     ["Công an tỉnh"], [], ["Văn phòng Ủy ban nhân dân tỉnh"]),
    ("Sở Y tế rà soát, đề xuất để báo cáo UBND tỉnh.", ["Sở Y tế"], [], ["Ủy ban nhân dân tỉnh"]),
    # "của Bộ Y tế, Chủ tịch UBND tỉnh yêu cầu X": the comma ends the cited letter's phrase
    ("Thực hiện Công văn số 3970/BYT-DP ngày 10/7/2023 của Bộ Y tế, Chủ tịch UBND tỉnh yêu cầu Giám đốc Sở Y tế "
     "chỉ đạo các đơn vị y tế khẩn trương xử lý triệt để các ổ dịch.", ["Giám đốc Sở Y tế"], [], []),
    # the commonest typos of the role words still read ("phôi hợp", "bao cáo")
    ("Sở Y tế chủ trì, phôi hợp với UBND thành phố kiểm tra, bao cáo UBND tỉnh.",
     ["Sở Y tế"], ["Ủy ban nhân dân thành phố"], ["Ủy ban nhân dân tỉnh"]),
    # a condition first, then the subject
    ("Trường hợp ngân sách huyện không đủ nguồn, UBND các huyện chủ động sử dụng dự phòng ngân sách.",
     ["Ủy ban nhân dân các huyện"], [], []),
    # party collectives
    ("Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy, tổ chức đảng, chính quyền, Mặt trận Tổ quốc và các đoàn thể "
     "quán triệt nội dung Chỉ thị.", ["các cấp ủy, tổ chức đảng, chính quyền", "Mặt trận Tổ quốc", "các đoàn thể"], [], []),
    ("Các đảng ủy xã, thị trấn tổ chức quán triệt đến chi bộ.", ["các đảng ủy xã, thị trấn"], [], []),
    # "X lãnh đạo Y ...": X leads, as with "chỉ đạo"
    ("Đảng ủy Sở Y tế lãnh đạo Sở Y tế chuẩn bị đầy đủ thuốc, vật tư.", ["Đảng ủy Sở Y tế"], [], []),
    # an opening adverbial clause before the subject ("Căn cứ ..., X ...", "Trên cơ sở ..., X ...")
    ("Căn cứ kết quả rà soát của các địa phương, Sở Tài chính tổng hợp, báo cáo Ủy ban nhân dân tỉnh.",
     ["Sở Tài chính"], [], ["Ủy ban nhân dân tỉnh"]),
    ("Trên cơ sở đề xuất của các đơn vị, Sở Kế hoạch và Đầu tư chủ động tham mưu phương án phân bổ vốn.",
     ["Sở Kế hoạch và Đầu tư"], [], []),
    ("Sau khi nhận được hồ sơ (bản chính hoặc bản sao...), Chi cục Thuế khu vực II kiểm tra, đối chiếu.",
     ["Chi cục Thuế khu vực II"], [], []),
    # ... but not the one who speaks after it, nor an agency inside the opening clause
    ("Sau khi nghe báo cáo của Sở Xây dựng, Chủ tịch UBND tỉnh kết luận như sau:", None, [], []),
    ("Để khắc phục những hạn chế nêu trên, Chủ tịch UBND tỉnh chỉ thị:", None, [], []),
    ("Căn cứ đề nghị của Sở Nội vụ, Ủy ban nhân dân tỉnh giao Sở Tài chính bố trí kinh phí.",
     ["Sở Tài chính"], [], []),
    # "phản ánh về X" (difficulties go to X) and an adverb after the report verb
    ("Trong quá trình thực hiện, nếu có vướng mắc, các đơn vị phản ánh về Cục Thuế để được hướng dẫn.",
     ["các đơn vị"], [], ["Cục Thuế"]),
    ("Trường hợp phát hiện công trình có nguy cơ sập đổ, Sở Xây dựng báo cáo ngay UBND thành phố để xử lý.",
     ["Sở Xây dựng"], [], ["Ủy ban nhân dân thành phố"]),
    # "Thực hiện ..." opens a clause like "Căn cứ ...", but a name inside the cited title is no subject,
    # and the list after the frame verb is one list
    ("Thực hiện Kế hoạch số 56/KH-UBND ngày 28/7/2025, Sở Tài chính bố trí kinh phí.", ["Sở Tài chính"], [], []),
    ("Thực hiện Quyết định số 72-QĐ/TW về biên chế các cơ quan đảng, Mặt trận Tổ quốc, tổ chức chính trị - xã hội "
     "ở Trung ương, Bộ Nội vụ đề nghị các Bộ, ngành, địa phương báo cáo.", ["các Bộ, ngành, địa phương"], [], []),
    ("Thực hiện Kế hoạch số 45-KH/TU của Ban Thường vụ Tỉnh ủy, Ban Thường vụ Đảng ủy xã yêu cầu các chi bộ "
     "trực thuộc, Ủy ban nhân dân xã, Ủy ban Mặt trận Tổ quốc Việt Nam xã thực hiện tốt các nội dung sau:",
     ["các chi bộ trực thuộc", "Ủy ban nhân dân xã", "Ủy ban Mặt trận Tổ quốc Việt Nam xã"], [], []),
    ("Căn cứ nhiệm vụ được giao tại Kế hoạch này, các sở, ngành, Thuế tỉnh và Ủy ban nhân dân các xã chủ động "
     "xây dựng kế hoạch.", ["các sở, ngành", "Thuế tỉnh", "Ủy ban nhân dân các xã"], [], []),
    # "Đối với X, [the issuer] giao / yêu cầu + a duty": X is the one addressed
    ("Đối với Sở Nông nghiệp và Môi trường, Chủ tịch UBND tỉnh giao chủ trì, phối hợp với Đài Khí tượng thủy văn "
     "tỉnh theo dõi chặt chẽ diễn biến mưa lũ.", ["Sở Nông nghiệp và Môi trường"], ["Đài Khí tượng thủy văn tỉnh"], []),
    ("Đối với Sở Y tế, Chủ tịch UBND tỉnh yêu cầu chuẩn bị đầy đủ cơ số thuốc.", ["Sở Y tế"], [], []),
    ("Đối với Sở Y tế, UBND tỉnh giao Sở Tài chính bố trí kinh phí.", ["Sở Tài chính"], [], []),
    # a parenthesis between the report verb and its target
    ("Gửi báo cáo (có chữ ký, đóng dấu của Ủy ban nhân dân tỉnh) về Bộ Nông nghiệp và Môi trường trước ngày 30/11.",
     None, [], ["Bộ Nông nghiệp và Môi trường"]),
    ("Đề nghị Hiệp hội Lương thực Việt Nam chỉ đạo các doanh nghiệp hội viên chủ động thu mua lúa gạo.",
     ["Hiệp hội Lương thực Việt Nam"], [], []),
    # "đề nghị X chỉ đạo Z chủ trì ...": Z named as the lead joins X (SPEC §3); a recipient in a purpose
    # clause before the speaker is no subject
    ("Để có cơ sở báo cáo Chính phủ, Thủ tướng Chính phủ về công tác quản lý chất thải, Bộ Nông nghiệp và Môi "
     "trường đề nghị Ủy ban nhân dân các tỉnh chỉ đạo Sở Nông nghiệp và Môi trường chủ trì, phối hợp với các sở, "
     "ngành liên quan thực hiện các nội dung sau:",
     ["Ủy ban nhân dân các tỉnh", "Sở Nông nghiệp và Môi trường"], ["các sở, ngành liên quan"],
     ["Chính phủ", "Thủ tướng Chính phủ"]),
    # a person's name after the head's title changes nothing
    ("Sau khi kiểm tra thực địa, Phó Chủ tịch UBND tỉnh Trần Văn Hùng kết luận như sau:", None, [], []),
    ("Phó Chủ tịch UBND tỉnh Lê Văn Sơn yêu cầu Sở Xây dựng kiểm tra.", ["Sở Xây dựng"], [], []),
    ("Giám đốc Sở Y tế Nguyễn Văn An chủ trì, phối hợp với Sở Tài chính rà soát.",
     ["Giám đốc Sở Y tế"], ["Sở Tài chính"], []),
    # a news page's speaker named by a title alone still addresses who follows (round-8 probes)
    ("Bộ trưởng giao Cục Thủy lợi kiểm tra an toàn các hồ chứa xung yếu.", ["Cục Thủy lợi"], [], []),
    ("Phát biểu chỉ đạo, Bộ trưởng yêu cầu Cục Quản lý đê điều và Phòng, chống thiên tai chủ trì, phối hợp với "
     "Cục Khí tượng Thủy văn sửa đổi quy trình.",
     ["Cục Quản lý đê điều và Phòng, chống thiên tai"], ["Cục Khí tượng Thủy văn"], []),
    ("Người dân yêu cầu Sở Y tế kiểm tra.", None, [], []),
    # the report's content, commas and all, before "về X"; a report to the leaders of a body
    ("Báo cáo tình hình ca bệnh SXH, sởi và kết quả tiêm chủng về Sở Y tế (qua CDC) trước 15 giờ thứ Năm hằng tuần.",
     None, [], ["Sở Y tế"]),
    ("Phòng Quản lý nợ định kỳ hằng quý tổng hợp, báo cáo Lãnh đạo Thuế tỉnh kết quả thu hồi nợ.",
     ["Phòng Quản lý nợ"], [], ["Lãnh đạo Thuế tỉnh"]),
    # the helpers listed after "phối hợp với" go on past a comma, though a frame verb follows the last
    ("Thủ tướng Chính phủ yêu cầu Bộ Công Thương chủ trì, phối hợp với Bộ Tài nguyên và Môi trường, Bộ Nông nghiệp và "
     "Phát triển nông thôn chỉ đạo các nhà máy thủy điện vận hành hợp lý",
     ["Bộ Công Thương"], ["Bộ Tài nguyên và Môi trường", "Bộ Nông nghiệp và Phát triển nông thôn"], []),
]

XFAIL_ROLES: dict[str, str] = {}


def _params():
    out = []
    for c in CASES:
        reason = next((r for k, r in XFAIL_ROLES.items() if c[0].startswith(k)), None)
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        out.append(pytest.param(*c, marks=marks, id=c[0][:45]))
    return out


@pytest.mark.parametrize("text,assignees,coordinators,report_to", _params())
def test_roles_table(text, assignees, coordinators, report_to):
    r = roles_in(text)
    assert isinstance(r, Roles)
    if assignees is None:
        assert not r.addressed and r.assignees == []
    else:
        assert r.addressed and names(r.assignees) == assignees
    assert names(r.coordinators) == coordinators
    assert names(r.report_to) == report_to


def test_issuer_subject_is_not_assignee():
    issuer = parse_agency("Ủy ban nhân dân tỉnh An Giang")
    r = roles_in("Ủy ban nhân dân tỉnh yêu cầu Thủ trưởng các sở, ban, ngành, đoàn thể tỉnh nghiêm túc triển khai",
                 ctx=AgencyContext(province="An Giang"), issuer=issuer)
    assert names(r.assignees) == ["Thủ trưởng các sở, ban, ngành, đoàn thể tỉnh"]
    assert r.assignees[0].jurisdiction == "tỉnh An Giang"


def test_spans_offset_by_base():
    t = "Sở Nội vụ khẩn trương tham mưu Ủy ban nhân dân tỉnh"
    r = roles_in(t, base=1000)
    assert r.assignees[0].span == (1000, 1009)
    assert r.report_to[0].span == (1000 + t.index("Ủy"), 1000 + len(t))


@pytest.mark.parametrize("text,expected", [
    ("Ủy ban nhân dân tỉnh yêu cầu Thủ trưởng các sở, ban, ngành, đoàn thể tỉnh và Chủ tịch Ủy ban nhân dân các huyện, thị xã, thành phố thực hiện tốt một số nội dung sau:",
     ["Thủ trưởng các sở, ban, ngành, đoàn thể tỉnh", "Chủ tịch Ủy ban nhân dân các huyện, thị xã, thành phố"]),
    ("Chủ tịch UBND tỉnh yêu cầu:", []),
    ("4. Chủ tịch Ủy ban nhân dân các huyện, thành phố:", ["Chủ tịch Ủy ban nhân dân các huyện, thành phố"]),
    ("Theo đó, Chủ tịch Ủy ban nhân dân tỉnh yêu cầu Thủ trưởng các sở, ban ngành, đơn vị thuộc Ủy ban nhân dân tỉnh, Chủ tịch Ủy ban nhân dân các huyện, thành phố nghiêm túc triển khai thực hiện các nội dung trọng tâm sau:",
     ["Thủ trưởng các sở, ban ngành, đơn vị thuộc Ủy ban nhân dân tỉnh", "Chủ tịch Ủy ban nhân dân các huyện, thành phố"]),
    ("Chủ tịch UBND tỉnh Hải Dương yêu cầu thủ trưởng các sở, ban, ngành, đơn vị sự nghiệp công lập thuộc UBND tỉnh và Chủ tịch UBND cấp huyện tổ chức thực hiện nghiêm túc 10 nội dung công việc.",
     ["Thủ trưởng các sở, ban, ngành, đơn vị sự nghiệp công lập thuộc Ủy ban nhân dân tỉnh", "Chủ tịch Ủy ban nhân dân cấp huyện"]),
    ("d) Các cơ quan chuyên môn khi trình Ủy ban nhân dân tỉnh, Chủ tịch Ủy ban nhân dân tỉnh chỉ đạo, giải quyết bằng văn bản hành chính, hồ sơ trình phải đảm bảo các thành phần và nội dung sau:",
     ["các cơ quan chuyên môn"]),
])
def test_frame_agents(text, expected):
    assert names(frame_agents(text)) == expected


# ---------------------------------------------------------------- seed gold agreement

def _gold():
    out = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        for o in d["obligations"]:
            out.append((d["source"], o))
    return out


def _agree(o):
    r = roles_in(o["text"])
    ok_c = set(names(r.coordinators)) == set(o["coordinators"])
    ok_r = set(names(r.report_to)) == set(o["report_to"])
    ok_a = (not r.addressed) or set(names(r.assignees)) == set(o["assignees"])
    return ok_c and ok_r and ok_a, r


# Seed obligations on which roles_in still disagrees with the gold: "source:label-or-text-prefix" -> reason.
# Kept visible as strict xfails; empty while all 60 agree.
KNOWN_GOLD_FAILURES: dict[str, str] = {}


def _gold_params():
    params = []
    for src, o in _gold():
        pid = f"{src[:3]}:{o['label'] or o['text'][:30]}"
        reason = KNOWN_GOLD_FAILURES.get(pid)
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        params.append(pytest.param(o, marks=marks, id=pid))
    return params


@pytest.mark.parametrize("o", _gold_params())
def test_seed_gold_roles(o):
    ok, r = _agree(o)
    assert set(names(r.coordinators)) == set(o["coordinators"])
    assert set(names(r.report_to)) == set(o["report_to"])
    if r.addressed:
        assert set(names(r.assignees)) == set(o["assignees"])


def test_seed_gold_agreement_rate(capsys):
    rows = _gold()
    good = sum(_agree(o)[0] for _, o in rows)
    rate = good / len(rows)
    with capsys.disabled():
        print(f"\nroles agreement with seed gold: {good}/{len(rows)} = {rate:.1%}")
    assert len(rows) == 60
    assert rate >= 0.9


@pytest.mark.parametrize("payload", [
    "báo cáo " * 25000,
    "giao Sở Nội vụ, " * 8000,
    "1/2.3-4;" * 25000,
    "Không trình UBND tỉnh " * 8000,
], ids=["bao-cao", "giao", "digits", "khong-trinh"])
def test_pathological_roles_fast(payload):
    t0 = time.perf_counter()
    roles_in(payload)
    frame_agents(payload[:20000])
    assert time.perf_counter() - t0 < 15
