// make bench (types): a user file with 20 typed calls from 20 tag families, type-checked
// against the package's declarations and against the baseline (bench/types/baseline.d.ts,
// the declarations of main before issue 12, where these paths were untyped). It compiles
// against both; each answer's data must not be `any`.
import type { Wxpay } from './index.js';

declare const wxpay: Wxpay;
type NotAny<T> = 0 extends 1 & T ? false : true;
type Expect<T extends true> = T;
const mchid = '1230000109';

// 基础支付: JSAPI下单API (POST /v3/pay/transactions/jsapi)
const c18 = await wxpay.v3.pay.transactions.jsapi.post({ appid: 'wxd678efh567hg6787', mchid, description: 'd', out_trade_no: 'o', notify_url: 'https://www.weixin.qq.com/wxpay/pay.php', amount: { total: 100, currency: 'CNY' }, payer: { openid: 'o' } });
type _c18 = Expect<NotAny<typeof c18.data>>;
// 会员卡: 查询用户会员卡信息API (GET /v3/marketing/membercard-open/cards/{card_id}/codes/{code})
const c19 = await wxpay.v3.marketing.membercardOpen.cards._card_id_.codes._code_.get({ card_id: 'c', code: 'x' });
type _c19 = Expect<NotAny<typeof c19.data>>;
// 跨境: 获取分账账单文件下载地址API (GET /v3/global/profit-sharing/bill-download-url)
const c20 = await wxpay.v3.global.profitSharing.billDownloadUrl.get();
type _c20 = Expect<NotAny<typeof c20.data>>;
// ETC授权扣费: 通过商户ETC绑定号查询签约状态 (GET /v3/vehicle/etc/contracts/{contract_id})
const c1 = await wxpay.v3.vehicle.etc.contracts._contract_id_.get({ contract_id: 'x' });
type _c1 = Expect<NotAny<typeof c1.data>>;
// 乘车服务: 查询订单 (GET /v3/qrcode/transactions/out-trade-no/{out_trade_no})
const c2 = await wxpay.v3.qrcode.transactions.outTradeNo.$out_trade_no$.get({ out_trade_no: 'x' });
type _c2 = Expect<NotAny<typeof c2.data>>;
// 企业支付: 查询可用商户范围列表 (GET /v3/webizpay/avail-mch-ranges)
const c3 = await wxpay.v3.webizpay.availMchRanges.get({ params: { sp_mchid: 'x' } });
type _c3 = Expect<NotAny<typeof c3.data>>;
// 修改商家简称: 查询商户简称变更申请单状态-使用申请单号 (GET /v3/mchalterapply/merchantnamealterapplyment/{apply_id})
const c4 = await wxpay.v3.mchalterapply.merchantnamealterapplyment._apply_id_.get({ apply_id: 'x' });
type _c4 = Expect<NotAny<typeof c4.data>>;
// 停车缴费服务: 查询停车场信息 (GET /v3/parking/reminders/parking-lot)
const c5 = await wxpay.v3.parking.reminders.parkingLot.get();
type _c5 = Expect<NotAny<typeof c5.data>>;
// 免密支付: 商户通过商户协议号查询协议API (GET /v3/password-exempt-contract/contracts/service-id/{service_id}/out-contract-code/{out_contract_code})
const c6 = await wxpay.v3.passwordExemptContract.contracts.serviceId._service_id_.outContractCode._out_contract_code_.get({ service_id: 'x', out_contract_code: 'x' });
type _c6 = Expect<NotAny<typeof c6.data>>;
// 出租车电子发票: 获取司机信息API (GET /v3/taxi-invoice/drivers/{driver_license})
const c7 = await wxpay.v3.taxiInvoice.drivers.$driver_license$.get({ driver_license: 'x', params: { region_id: 1 } });
type _c7 = Expect<NotAny<typeof c7.data>>;
// 刷脸支付: 查询机构信息接口 (GET /v3/offlinefacemch/organizations)
const c8 = await wxpay.v3.offlinefacemch.organizations.get();
type _c8 = Expect<NotAny<typeof c8.data>>;
// 医保支付: 使用医保自费混合订单号查看下单结果 (GET /v3/med-ins/orders/mix-trade-no/{mix_trade_no})
const c9 = await wxpay.v3.medIns.orders.mixTradeNo.$mix_trade_no$.get({ mix_trade_no: 'x' });
type _c9 = Expect<NotAny<typeof c9.data>>;
// 变更超管: 查询超管变更申请单状态-使用申请单号 (GET /v3/mchalterapply/mchcontactalterapplyment/{apply_id})
const c10 = await wxpay.v3.mchalterapply.mchcontactalterapplyment._apply_id_.get({ apply_id: 'x' });
type _c10 = Expect<NotAny<typeof c10.data>>;
// 品牌: 查询商家名片配置申请状态 (GET /v3/brand/card/card-configs)
const c11 = await wxpay.v3.brand.card.cardConfigs.get({ params: { brand_id: 'x' } });
type _c11 = Expect<NotAny<typeof c11.data>>;
// 品牌小店营销: 查询小店活动门店详情 (GET /v3/marketing/goods-subsidy-activity/retail-store-act/{brand_id}/stores/{store_code})
const c12 = await wxpay.v3.marketing.goodsSubsidyActivity.retailStoreAct._brand_id_.stores._store_code_.get({ brand_id: 'x', store_code: 'x' });
type _c12 = Expect<NotAny<typeof c12.data>>;
// 品牌红包: 微信支付批次单号查询批次单 (GET /v3/fund-app/brand-redpacket/brand-merchant-batches/{batch_no})
const c13 = await wxpay.v3.fundApp.brandRedpacket.brandMerchantBatches.$batch_no$.get({ batch_no: 'x' });
type _c13 = Expect<NotAny<typeof c13.data>>;
// 商家充值: 查询银行转账充值结果 (GET /v3/recharge/bank-transfer-recharges/out-recharge-no/{out_recharge_no})
const c14 = await wxpay.v3.recharge.bankTransferRecharges.outRechargeNo._out_recharge_no_.get({ out_recharge_no: 'x' });
type _c14 = Expect<NotAny<typeof c14.data>>;
// 商家名片会员: 查询会员卡模板列表 (GET /v3/brand/partner/card-member/cards)
const c15 = await wxpay.v3.brand.partner.cardMember.cards.get({ params: { brand_id: 'x' } });
type _c15 = Expect<NotAny<typeof c15.data>>;
// 商家名片会员活动: 查询品牌会员发券活动 (GET /v3/brand/partner/card-member/membership-activities/{activity_id})
const c16 = await wxpay.v3.brand.partner.cardMember.membershipActivities._activity_id_.get({ activity_id: 'x', params: { brand_id: 'x' } });
type _c16 = Expect<NotAny<typeof c16.data>>;
// 商户尽职调查: 查询子商户强化尽调单信息 (GET /v3/mch-operation-manage/enhanced-due-diligence/{due_diligence_id})
const c17 = await wxpay.v3.mchOperationManage.enhancedDueDiligence.$due_diligence_id$.get({ due_diligence_id: 'x', params: { sub_mchid: 'x' } });
type _c17 = Expect<NotAny<typeof c17.data>>;
export {};
